package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code spec.rollout.retryAt}: a rollout that failed at or before it is tried again from where it
 * stopped. The failure is forgotten, and each replica that failed on the revision is given it again
 * (one still booting gets a fresh readyTimeout instead). Pure.
 */
final class Retries {
  private Retries() {}

  /** Whether the failure in {@code draft} is retried now; if so the draft no longer has it. */
  static boolean retry(StatusDraft draft, PhalaAppSpec spec, List<Cvm> cvms, Notes notes) {
    PhalaAppStatus.RolloutStatus rollout = draft.rollout();
    Optional<Instant> retryAt =
        Restarts.instant(spec.rollout == null ? null : spec.rollout.retryAt);
    if (!draft.failedOnDesired() || retryAt.isEmpty()) {
      return false;
    }
    Optional<Instant> failedAt = Restarts.instant(rollout.failedAt);
    // a failure recorded before failedAt existed has no time: the retry asked for covers it
    if (failedAt.isPresent() && failedAt.get().isAfter(retryAt.get())) {
      return false;
    }
    String failed = rollout.failedRevision;
    for (Cvm cvm : cvms) {
      CvmRecord record = draft.records().get(cvm.vmUuid());
      if (record == null || !failed.equals(record.revision()) || cvm.isServing()) {
        continue;
      }
      draft
          .records()
          .put(
              cvm.vmUuid(),
              cvm.inProgress()
                  ? new CvmRecord(record.revision(), record.composeRevision(), draft.now(), null)
                  : new CvmRecord(null, record.composeRevision(), null, null));
    }
    notes.normal(
        Reason.ROLLOUT_RETRIED,
        "retrying revision "
            + failed
            + " (spec.rollout.retryAt "
            + spec.rollout.retryAt
            + "), which failed: "
            + rollout.failure);
    rollout.failedRevision = null;
    rollout.failure = null;
    rollout.failedAt = null;
    rollout.action = null;
    return true;
  }
}
