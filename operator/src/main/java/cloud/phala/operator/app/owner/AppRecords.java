package cloud.phala.operator.app.owner;

import cloud.phala.operator.app.resolve.OperatorSecrets;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ConcurrentModificationException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link AppRecord}s, one ConfigMap each in the operator's namespace, watched so a pass reads
 * them from memory. Only this installation and its admins write there; status fields that tenants
 * can write are never taken for ownership. The API key copies live apart, in {@link ApiKeyCopies}.
 */
public final class AppRecords implements AppRecordStore, AutoCloseable {
  static final String LABEL = "phala.cloud/record";
  private static final String NAMESPACE = "phala.cloud/namespace";
  private static final String NAME = "phala.cloud/name";
  private static final String UID = "phala.cloud/uid";

  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, AppRecord> byApp = new ConcurrentHashMap<>();
  private final Map<String, String> versions = new ConcurrentHashMap<>();
  private final SharedIndexInformer<ConfigMap> informer;

  public AppRecords(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    this.informer =
        client
            .configMaps()
            .inNamespace(namespace)
            .withLabel(LABEL, "app")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ConfigMap record) {
                    seen(record);
                  }

                  @Override
                  public void onUpdate(ConfigMap before, ConfigMap record) {
                    seen(record);
                  }

                  @Override
                  public void onDelete(ConfigMap record, boolean unknownFinalState) {
                    parse(record)
                        .ifPresent(
                            r -> {
                              byApp.remove(key(r.namespace(), r.name()));
                              versions.remove(key(r.namespace(), r.name()));
                            });
                  }
                });
  }

  /** The name of the record of a PhalaApp: a hash, as namespace plus name may be too long. */
  public static String recordName(String appNamespace, String appName) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((appNamespace + "/" + appName).getBytes(StandardCharsets.UTF_8));
      return "phala-app-" + HexFormat.of().formatHex(digest).substring(0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Optional<AppRecord> of(String appNamespace, String appName) {
    return Optional.ofNullable(byApp.get(key(appNamespace, appName)));
  }

  /** Creates or replaces the record; it is read back from memory at once. */
  @Override
  public void put(AppRecord record) {
    Optional<AppRecord> current = of(record.namespace(), record.name());
    if (current.isPresent() && current.get().equals(record)) {
      return;
    }
    ConfigMap map = toConfigMap(record);
    ConfigMap written;
    try {
      written = client.resource(map).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      written = client.resource(map).update();
    }
    wrote(record, written);
  }

  /**
   * Creates the record if none was seen, else updates the one seen (its resourceVersion), so the
   * API server refuses it if another process wrote the record since.
   */
  @Override
  public void replace(AppRecord record, Optional<String> expectedAppId) {
    String key = key(record.namespace(), record.name());
    Optional<AppRecord> current = of(record.namespace(), record.name());
    if (!current.map(AppRecord::appId).equals(expectedAppId)) {
      throw new ConcurrentModificationException(
          "the record of " + key + " changed since this pass read it");
    }
    if (current.isPresent() && current.get().equals(record)) {
      return;
    }
    ConfigMap map = toConfigMap(record);
    try {
      if (current.isEmpty()) {
        wrote(record, client.resource(map).create());
      } else {
        map.getMetadata().setResourceVersion(versions.get(key));
        wrote(record, client.resource(map).update());
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new ConcurrentModificationException(
            "the record of " + key + " changed since this pass read it");
      }
      throw e;
    }
  }

  private void wrote(AppRecord record, ConfigMap written) {
    byApp.put(key(record.namespace(), record.name()), record);
    versions.put(
        key(record.namespace(), record.name()), written.getMetadata().getResourceVersion());
  }

  /** Creates the record unless one exists (whatever it says). */
  public void createIfAbsent(AppRecord record) {
    try {
      client.resource(toConfigMap(record)).create();
      byApp.putIfAbsent(key(record.namespace(), record.name()), record);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  @Override
  public void remove(AppRecord record) {
    client
        .configMaps()
        .inNamespace(namespace)
        .withName(recordName(record.namespace(), record.name()))
        .delete();
    byApp.remove(key(record.namespace(), record.name()));
    versions.remove(key(record.namespace(), record.name()));
  }

  @Override
  public void close() {
    informer.close();
  }

  private void seen(ConfigMap record) {
    parse(record)
        .ifPresent(
            r -> {
              byApp.put(key(r.namespace(), r.name()), r);
              versions.put(key(r.namespace(), r.name()), record.getMetadata().getResourceVersion());
            });
  }

  private ConfigMap toConfigMap(AppRecord record) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("appId", record.appId());
    if (record.kmsId() != null) {
      data.put("kmsId", record.kmsId());
    }
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(recordName(record.namespace(), record.name()))
        .withNamespace(namespace)
        .addToLabels(OperatorSecrets.MANAGED_BY, OperatorSecrets.OPERATOR)
        .addToLabels(LABEL, "app")
        .addToAnnotations(NAMESPACE, record.namespace())
        .addToAnnotations(NAME, record.name())
        .addToAnnotations(UID, record.uid())
        .endMetadata()
        .withData(data)
        .build();
  }

  static Optional<AppRecord> parse(ConfigMap map) {
    Map<String, String> annotations = map.getMetadata().getAnnotations();
    Map<String, String> data = map.getData();
    if (annotations == null
        || data == null
        || annotations.get(NAMESPACE) == null
        || annotations.get(NAME) == null
        || data.get("appId") == null) {
      return Optional.empty();
    }
    return Optional.of(
        new AppRecord(
            annotations.get(NAMESPACE),
            annotations.get(NAME),
            annotations.getOrDefault(UID, ""),
            data.get("appId"),
            data.get("kmsId")));
  }

  private static String key(String appNamespace, String appName) {
    return appNamespace + "/" + appName;
  }
}
