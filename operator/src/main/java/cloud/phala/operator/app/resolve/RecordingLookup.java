package cloud.phala.operator.app.resolve;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link SourceLookup} that notes the resourceVersion of every Secret and ConfigMap it hands out,
 * as first read: the versions of the objects a revision was computed from. Never a value.
 */
public final class RecordingLookup implements SourceLookup {
  private final SourceLookup lookup;
  private final Map<String, String> secrets = new TreeMap<>();
  private final Map<String, String> configMaps = new TreeMap<>();

  public RecordingLookup(SourceLookup lookup) {
    this.lookup = lookup;
  }

  @Override
  public Optional<Secret> secret(String name) {
    Optional<Secret> secret = lookup.secret(name);
    secret.ifPresent(s -> note(secrets, name, s));
    return secret;
  }

  @Override
  public Optional<ConfigMap> configMap(String name) {
    Optional<ConfigMap> configMap = lookup.configMap(name);
    configMap.ifPresent(c -> note(configMaps, name, c));
    return configMap;
  }

  /** Secret name to resourceVersion, of the Secrets read. */
  public Map<String, String> secrets() {
    return new TreeMap<>(secrets);
  }

  /** ConfigMap name to resourceVersion, of the ConfigMaps read. */
  public Map<String, String> configMaps() {
    return new TreeMap<>(configMaps);
  }

  private static void note(Map<String, String> into, String name, HasMetadata object) {
    String version =
        object.getMetadata() == null ? null : object.getMetadata().getResourceVersion();
    if (version != null) {
      into.putIfAbsent(name, version);
    }
  }
}
