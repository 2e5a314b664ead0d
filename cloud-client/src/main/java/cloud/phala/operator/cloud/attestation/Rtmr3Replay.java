package cloud.phala.operator.cloud.attestation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Replays RTMR3 from the imr-3 events and compares it with the RTMR3 inside the quote body (not the
 * {@code tcb_info.rtmr3} JSON field, which the quote does not sign).
 */
final class Rtmr3Replay {
  private Rtmr3Replay() {}

  static Check check(Attestation attestation) {
    List<RuntimeEvent> events = attestation.runtimeEvents();
    List<byte[]> digests = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      RuntimeEvent event = events.get(i);
      if (event.isRuntime() && !Arrays.equals(event.contentDigest(), event.digest())) {
        return Check.failed(
            Step.RTMR3_REPLAYS,
            "imr-3 event " + i + " has a digest that does not match its content");
      }
      digests.add(event.digest());
    }
    return Check.of(
        Step.RTMR3_REPLAYS,
        Arrays.equals(Rtmr.replay(digests), attestation.report().rtmr3()),
        "the imr-3 events do not replay into the quote's RTMR3");
  }
}
