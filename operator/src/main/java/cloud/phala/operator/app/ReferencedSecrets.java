package cloud.phala.operator.app;

import cloud.phala.operator.app.resolve.OperatorSecrets;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The Secret informer keeps metadata only ({@link #metadataOnly}); the data of the Secrets
 * PhalaApps reference is read with a GET when its resourceVersion changes, and kept here while a
 * PhalaApp references it ({@link #retainReferenced}, after every pass and deletion). The operator's
 * memory grows with the Secrets its apps use now, not with every Secret in the namespaces it
 * watches, nor with every Secret an app once used.
 */
final class ReferencedSecrets {
  private final UnaryOperator<Secret> reader;
  private final Map<ResourceID, Secret> read = new ConcurrentHashMap<>();
  private final Map<ResourceID, Object> reading = new ConcurrentHashMap<>();

  ReferencedSecrets(KubernetesClient client) {
    this(
        meta ->
            client
                .secrets()
                .inNamespace(meta.getMetadata().getNamespace())
                .withName(meta.getMetadata().getName())
                .get());
  }

  /** {@code reader}: the whole Secret the metadata names, or null if it is gone. */
  ReferencedSecrets(UnaryOperator<Secret> reader) {
    this.reader = reader;
  }

  /**
   * What the informer stores of a Secret: enough to notice a change, no data, no annotations, and
   * no empty collections (10,000 Secrets in a namespace should cost about a megabyte); of the
   * labels only the operator's own mark, so that no PhalaApp can reference one of its Secrets.
   */
  static Secret metadataOnly(Secret secret) {
    ObjectMeta meta = new ObjectMeta();
    meta.setName(secret.getMetadata().getName());
    meta.setNamespace(secret.getMetadata().getNamespace());
    meta.setUid(secret.getMetadata().getUid());
    meta.setResourceVersion(secret.getMetadata().getResourceVersion());
    meta.setAnnotations(null);
    meta.setLabels(
        OperatorSecrets.isOperators(secret.getMetadata().getLabels())
            ? Map.of(OperatorSecrets.MANAGED_BY, OperatorSecrets.OPERATOR)
            : null);
    meta.setFinalizers(null);
    meta.setManagedFields(null);
    meta.setOwnerReferences(null);
    Secret kept = new Secret();
    kept.setMetadata(meta);
    kept.setType(secret.getType());
    kept.setData(null);
    kept.setStringData(null);
    return kept;
  }

  /** The whole Secret the informer knows by its metadata, or empty if it is gone. */
  Optional<Secret> withData(Optional<Secret> known) {
    if (known.isEmpty()) {
      return Optional.empty();
    }
    Secret meta = known.get();
    ResourceID id = ResourceID.fromResource(meta);
    // one GET per change even when many apps share the Secret and reconcile at once
    synchronized (reading.computeIfAbsent(id, k -> new Object())) {
      Secret cached = read.get(id);
      if (cached != null
          && cached
              .getMetadata()
              .getResourceVersion()
              .equals(meta.getMetadata().getResourceVersion())) {
        return Optional.of(cached);
      }
      return fetch(meta, id);
    }
  }

  private Optional<Secret> fetch(Secret meta, ResourceID id) {
    Secret fresh = reader.apply(meta);
    if (fresh == null) {
      read.remove(id);
      return Optional.empty();
    }
    Secret kept = metadataOnly(fresh);
    kept.setData(fresh.getData());
    kept.setImmutable(fresh.getImmutable());
    read.put(id, kept);
    return Optional.of(kept);
  }

  /** Lets go of the data of every Secret {@code referenced} does not accept. */
  void retainReferenced(Predicate<ResourceID> referenced) {
    read.keySet().removeIf(id -> !referenced.test(id));
    reading.keySet().removeIf(id -> !referenced.test(id));
  }

  /** The Secrets whose data is kept. */
  Set<ResourceID> kept() {
    return Set.copyOf(read.keySet());
  }

  /** Forgets a Secret that was deleted. */
  void forget(ResourceID id) {
    read.remove(id);
    reading.remove(id);
  }
}
