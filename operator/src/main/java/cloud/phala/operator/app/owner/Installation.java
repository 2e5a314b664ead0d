package cloud.phala.operator.app.owner;

import cloud.phala.operator.app.cloud.KmsRoots;
import cloud.phala.operator.app.resolve.OperatorSecrets;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * What this installation of the operator decides once and keeps in its own namespace, where tenants
 * cannot write: its identity (the prefix of its CVM names, so two clusters on one Phala account
 * never take each other's CVMs for their own) and the KMS root keys it trusts on first use.
 * ConfigMap {@value #NAME}; created once, its identity never changed, a root key added once per
 * KMS. Watched, so an admin who removes a root key (to trust a KMS's new one) is heard at once.
 */
public final class Installation implements KmsRoots, AutoCloseable {
  public static final String NAME = "phala-operator-installation";

  /** The identity an earlier version used for every installation that did not set its own. */
  public static final String LEGACY_IDENTITY = "k8s";

  public static final String IDENTITY = "identity";
  private static final String ROOT_PREFIX = "kms-root.";

  private final KubernetesClient client;
  private final String namespace;
  private final String identity;
  private final SharedIndexInformer<ConfigMap> watch;

  private Installation(KubernetesClient client, String namespace, String identity) {
    this.client = client;
    this.namespace = namespace;
    this.identity = identity;
    this.watch = client.configMaps().inNamespace(namespace).withName(NAME).inform();
  }

  /**
   * Reads the record, or creates it: with {@code explicitIdentity} when the chart sets one, else
   * with the earlier versions' shared default when {@code upgrade} (apps deployed by an earlier
   * version carry it in their CVM names), else with a random identity. A configured identity wins
   * over the recorded one.
   */
  public static Installation loadOrCreate(
      KubernetesClient client,
      String namespace,
      Optional<String> explicitIdentity,
      boolean upgrade) {
    ConfigMap existing = read(client, namespace);
    if (existing == null) {
      String identity =
          explicitIdentity.orElseGet(() -> upgrade ? LEGACY_IDENTITY : generatedIdentity());
      ConfigMap created =
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName(NAME)
              .withNamespace(namespace)
              .addToLabels(OperatorSecrets.MANAGED_BY, OperatorSecrets.OPERATOR)
              .endMetadata()
              .withData(Map.of(IDENTITY, identity))
              .build();
      try {
        existing = client.resource(created).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        existing = read(client, namespace);
      }
    }
    Map<String, String> data = existing.getData() == null ? Map.of() : existing.getData();
    String identity = explicitIdentity.orElse(data.getOrDefault(IDENTITY, LEGACY_IDENTITY));
    return new Installation(client, namespace, identity);
  }

  /** The prefix of this installation's CVM names. */
  public String identity() {
    return identity;
  }

  @Override
  public Optional<String> recorded(String kmsId) {
    ConfigMap current = watch.getStore().getByKey(namespace + "/" + NAME);
    return Optional.ofNullable(current)
        .map(ConfigMap::getData)
        .map(d -> d.get(rootKeyEntry(kmsId)));
  }

  @Override
  public synchronized String recordFirst(String kmsId, String rootHex) {
    String key = rootKeyEntry(kmsId);
    for (int attempt = 0; ; attempt++) {
      ConfigMap current = read(client, namespace);
      Map<String, String> fresh = current.getData() == null ? Map.of() : current.getData();
      if (fresh.containsKey(key)) {
        return fresh.get(key);
      }
      Map<String, String> next = new HashMap<>(fresh);
      next.put(key, rootHex);
      current.setData(next);
      try {
        client.resource(current).update();
        return rootHex;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 5) {
          throw e;
        }
      }
    }
  }

  @Override
  public void close() {
    watch.close();
  }

  /** A ConfigMap data key for a KMS id, whatever characters the id has. */
  public static String rootKeyEntry(String kmsId) {
    return ROOT_PREFIX + (kmsId == null ? "default" : kmsId.replaceAll("[^-._a-zA-Z0-9]", "_"));
  }

  private static ConfigMap read(KubernetesClient client, String namespace) {
    return client.configMaps().inNamespace(namespace).withName(NAME).get();
  }

  private static String generatedIdentity() {
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    return "k8s-" + HexFormat.of().formatHex(random);
  }
}
