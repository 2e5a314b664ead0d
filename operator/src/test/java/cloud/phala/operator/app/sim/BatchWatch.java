package cloud.phala.operator.app.sim;

import cloud.phala.operator.simulator.cloud.AppRevision;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The invariant of spec.rollout.batchWindow: a CVM already running is given (updated to) a revision
 * only once it has been desired for the window, or 5 windows after the burst of changes it ended
 * began (a burst: changes each less than a window after the one before). The operator sees a change
 * no earlier than the user makes it, so it never starts sooner. A first deploy, a replica and a
 * rollback (redeploy) are not held.
 */
final class BatchWatch {
  private final Duration window;
  private final Map<Fingerprint, Instant> since = new HashMap<>();
  private final Map<Fingerprint, Instant> burstOf = new HashMap<>();
  private Instant lastChange;
  private Instant burstStart;

  BatchWatch(Duration window) {
    this.window = window;
  }

  /** The history asks for {@code desired} from {@code at} on ({@code first}: the initial one). */
  void desired(Fingerprint desired, Instant at, boolean first) {
    if (first) {
      since.put(desired, Instant.MIN);
      burstOf.put(desired, Instant.MIN);
      return;
    }
    if (lastChange == null || !at.isBefore(lastChange.plus(window))) {
      burstStart = at;
    }
    lastChange = at;
    since.put(desired, at);
    burstOf.put(desired, burstStart);
  }

  /** Phala Cloud carried out {@code revision}, which gave a CVM {@code given}. */
  void given(AppRevision revision, Fingerprint given) {
    if (window.isZero() || !"update".equals(revision.operationType())) {
      return;
    }
    Instant desired = since.get(given);
    if (desired == null || desired.equals(Instant.MIN)) {
      return;
    }
    Instant quiet = desired.plus(window);
    Instant capped = burstOf.get(given).plus(window.multipliedBy(5));
    Instant earliest = quiet.isBefore(capped) ? quiet : capped;
    if (revision.createdAt().isBefore(earliest)) {
      throw new Violation(
          "CVM "
              + revision.vmUuid()
              + " was updated to "
              + given
              + " at "
              + revision.createdAt()
              + ", desired only since "
              + desired
              + ": before its batchWindow "
              + window.toSeconds()
              + "s of quiet (burst began "
              + burstOf.get(given)
              + ")");
    }
  }
}
