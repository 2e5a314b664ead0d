package cloud.phala.operator.app.resolve;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/** Reads Secrets and ConfigMaps of one namespace (the PhalaApp's own; never another). */
public interface SourceLookup {
  Optional<Secret> secret(String name);

  Optional<ConfigMap> configMap(String name);
}
