package cloud.phala.operator.app.sync;

import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.CvmState;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code GET /state} of CVMs, asked afresh, never from a listing: those whose step is in doubt (an
 * intent in status), and, when the decision needs their boot errors, those whose boot failed.
 */
final class StateReads {
  private final Clock clock;

  StateReads(Clock clock) {
    this.clock = clock;
  }

  void ofIntents(
      PhalaCloudClient client,
      List<Cvm> listed,
      PhalaAppStatus previous,
      Map<String, CvmState> out,
      Map<String, Instant> readAt) {
    read(client, listed, cvm -> intentFor(previous, cvm.vmUuid()), out, readAt);
  }

  void ofFailedBoots(
      PhalaCloudClient client,
      List<Cvm> listed,
      Map<String, CvmState> out,
      Map<String, Instant> readAt) {
    read(
        client,
        listed,
        cvm -> "error".equals(cvm.status()) && !cvm.inProgress() && !out.containsKey(cvm.vmUuid()),
        out,
        readAt);
  }

  private void read(
      PhalaCloudClient client,
      List<Cvm> listed,
      Predicate<Cvm> wanted,
      Map<String, CvmState> out,
      Map<String, Instant> readAt) {
    for (Cvm cvm : listed) {
      if (wanted.test(cvm)) {
        out.put(cvm.vmUuid(), client.state(cvm.vmUuid()));
        readAt.put(cvm.vmUuid(), clock.instant());
      }
    }
  }

  private static boolean intentFor(PhalaAppStatus previous, String vmUuid) {
    return previous != null
        && previous.cvms != null
        && previous.cvms.stream().anyMatch(c -> vmUuid.equals(c.cvmId) && c.intent != null);
  }
}
