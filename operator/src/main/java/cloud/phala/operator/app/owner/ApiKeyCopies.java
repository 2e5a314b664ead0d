package cloud.phala.operator.app.owner;

import cloud.phala.operator.app.resolve.OperatorSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Copies of the API keys apps were deployed with (their own, not the operator's default), one
 * Secret {@value #NAME} in the operator's namespace, an entry per app record: so an app can be
 * removed whatever its namespace deleted first. One Secret of a fixed name, so the operator's RBAC
 * names every Secret it reads there.
 */
public final class ApiKeyCopies implements ApiKeyStore, AutoCloseable {
  public static final String NAME = "phala-operator-api-keys";

  private final KubernetesClient client;
  private final String namespace;
  private final SharedIndexInformer<Secret> watch;
  private final Map<String, Optional<String>> written = new ConcurrentHashMap<>();

  public ApiKeyCopies(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    this.watch = client.secrets().inNamespace(namespace).withName(NAME).inform();
  }

  /** The key kept for the app whose record is {@code recordName}. */
  @Override
  public Optional<String> of(String recordName) {
    Optional<String> mine = written.get(recordName);
    if (mine != null) {
      return mine;
    }
    return Optional.ofNullable(watch.getStore().getByKey(namespace + "/" + NAME))
        .map(Secret::getData)
        .map(d -> d.get(recordName))
        .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
  }

  /** Keeps {@code key} for the app (none: forgets it); writes only when it changes. */
  @Override
  public synchronized void put(String recordName, Optional<String> key) {
    if (of(recordName).equals(key)) {
      return;
    }
    for (int attempt = 0; ; attempt++) {
      Secret current = client.secrets().inNamespace(namespace).withName(NAME).get();
      try {
        if (current == null) {
          if (key.isPresent()) {
            client.resource(fresh(Map.of(recordName, encode(key.get())))).create();
          }
        } else {
          Map<String, String> data =
              current.getData() == null ? new HashMap<>() : new HashMap<>(current.getData());
          if (key.isPresent()) {
            data.put(recordName, encode(key.get()));
          } else {
            data.remove(recordName);
          }
          current.setData(data);
          client.resource(current).update();
        }
        written.put(recordName, key);
        return;
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

  private Secret fresh(Map<String, String> data) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(NAME)
        .withNamespace(namespace)
        .addToLabels(OperatorSecrets.MANAGED_BY, OperatorSecrets.OPERATOR)
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  private static String encode(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
