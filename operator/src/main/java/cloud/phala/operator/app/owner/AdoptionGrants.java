package cloud.phala.operator.app.owner;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link AdoptionGrant}s: ConfigMaps labelled {@value #LABEL}{@code =grant} in the operator's
 * namespace, with data keys {@code namespace}, {@code name} and {@code appId}. Watched, so a pass
 * reads them from memory.
 */
public final class AdoptionGrants implements AdoptionGrantStore, AutoCloseable {
  public static final String LABEL = "phala.cloud/adoption";

  private final KubernetesClient client;
  private final String namespace;
  private final SharedIndexInformer<ConfigMap> informer;

  public AdoptionGrants(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    this.informer = client.configMaps().inNamespace(namespace).withLabel(LABEL, "grant").inform();
  }

  @Override
  public Optional<AdoptionGrant> of(String appNamespace, String appName) {
    return informer.getStore().list().stream()
        .map(AdoptionGrants::parse)
        .flatMap(Optional::stream)
        .filter(g -> g.namespace().equals(appNamespace) && g.name().equals(appName))
        .findFirst();
  }

  /** A grant is used once. */
  @Override
  public void consume(AdoptionGrant grant) {
    client.configMaps().inNamespace(namespace).withName(grant.configMapName()).delete();
  }

  @Override
  public void close() {
    informer.close();
  }

  private static Optional<AdoptionGrant> parse(ConfigMap map) {
    Map<String, String> data = map.getData();
    if (data == null
        || Objects.toString(data.get("namespace"), "").isBlank()
        || Objects.toString(data.get("name"), "").isBlank()
        || Objects.toString(data.get("appId"), "").isBlank()) {
      return Optional.empty();
    }
    return Optional.of(
        new AdoptionGrant(
            map.getMetadata().getName(),
            data.get("namespace").trim(),
            data.get("name").trim(),
            data.get("appId").trim()));
  }
}
