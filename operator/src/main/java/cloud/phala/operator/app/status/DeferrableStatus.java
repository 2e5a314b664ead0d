package cloud.phala.operator.app.status;

import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Whether a pass's status may wait for the next write instead of being written now: it differs from
 * the written one only in what an operator that died first would work out again without harm. That
 * is an intent settled as given (Phala Cloud accepted the step; a fresh operator settles the intent
 * from Phala Cloud's answer, as after any crash) and the phase of a CVM that serves neither before
 * nor after (shutting down, then starting: no count or condition changes).
 */
public final class DeferrableStatus {
  private static final String SERVING = "running";

  private DeferrableStatus() {}

  /** Whether {@code next} may wait, {@code written} being the status the PhalaApp shows. */
  public static boolean mayWait(PhalaAppStatus written, PhalaAppStatus next) {
    if (written == null || next == null || written.cvms == null || next.cvms == null) {
      return false;
    }
    PhalaAppStatus asWritten = copy(next);
    Map<String, PhalaAppStatus.CvmStatus> before =
        written.cvms.stream()
            .collect(Collectors.toMap(c -> c.cvmId, Function.identity(), (a, b) -> a));
    for (PhalaAppStatus.CvmStatus cvm : asWritten.cvms) {
      PhalaAppStatus.CvmStatus was = before.get(cvm.cvmId);
      if (was == null) {
        return false;
      }
      if (settles(was, cvm)) {
        cvm.envRevision = was.envRevision;
        cvm.composeRevision = was.composeRevision;
        cvm.updatedAt = was.updatedAt;
        cvm.intent = was.intent;
      }
      if (!SERVING.equals(was.phase) && !SERVING.equals(cvm.phase)) {
        cvm.phase = was.phase;
      }
    }
    return tree(written).equals(tree(asWritten));
  }

  /** {@code next} records as given exactly what {@code was} recorded as an intent. */
  private static boolean settles(PhalaAppStatus.CvmStatus was, PhalaAppStatus.CvmStatus next) {
    return was.intent != null
        && next.intent == null
        && Objects.equals(was.intent.envRevision, next.envRevision)
        && Objects.equals(was.intent.composeRevision, next.composeRevision)
        && Objects.equals(was.intent.since, next.updatedAt);
  }

  private static PhalaAppStatus copy(PhalaAppStatus status) {
    return Serialization.jsonMapper().convertValue(status, PhalaAppStatus.class);
  }

  private static Object tree(PhalaAppStatus status) {
    return Serialization.jsonMapper().valueToTree(status);
  }
}
