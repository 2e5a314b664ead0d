package cloud.phala.operator.app;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.HashMap;
import java.util.Map;

/**
 * What the PhalaApp and ConfigMap informers keep of an object: all of it but its managedFields and
 * kubectl's last-applied-configuration annotation, which no pass reads and which often weigh more
 * than the spec itself (a copy of the whole object as last applied). Status patches are server-side
 * applies of the status alone, so they need neither.
 */
public final class LeanCaches {
  /** The annotation {@code kubectl apply} (client-side) keeps the applied object in. */
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private LeanCaches() {}

  /** {@code object} without managedFields and the last-applied annotation (changed in place). */
  public static <T extends HasMetadata> T lean(T object) {
    ObjectMeta meta = object.getMetadata();
    if (meta == null) {
      return object;
    }
    meta.setManagedFields(null);
    Map<String, String> annotations = meta.getAnnotations();
    if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
      Map<String, String> kept = new HashMap<>(annotations);
      kept.remove(LAST_APPLIED);
      meta.setAnnotations(kept.isEmpty() ? null : kept);
    }
    return object;
  }
}
