package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.CvmState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Settles the intents (from Phala Cloud's answer to {@code GET /state} for each, read afresh by
 * observe, never a cached listing) a pass left when it stopped between writing a step and reading
 * the answer: a CVM that restarted (or is restarting) since the intent got the step; any other did
 * not, and keeps the revision it had. A replica requested but never recorded is matched to a CVM of
 * the app that has no record.
 */
public final class IntentCheck {
  private IntentCheck() {}

  /** {@code cloud}: the states read, when each was read (its uptime counts to then), histories. */
  static void settle(StatusDraft draft, List<Cvm> cvms, Observation.Cloud cloud) {
    Map<String, CvmState> states = cloud.states();
    Map<String, Instant> readAt = cloud.statesReadAt();
    Map<String, CvmRecord> records = draft.records();
    for (Cvm cvm : cvms) {
      CvmRecord record = records.get(cvm.vmUuid());
      if (record == null || record.intent() == null) {
        continue;
      }
      CvmState state = states.get(cvm.vmUuid());
      boolean applied =
          state != null
              && (failedSince(state, draft.previousPhase(cvm.vmUuid()))
                  || changedSince(cloud.changedAt().get(cvm.vmUuid()), record.intent().since())
                  || applied(
                      state.status(),
                      state.inProgress(),
                      state.uptime(),
                      record.intent().since(),
                      readAt.getOrDefault(cvm.vmUuid(), draft.now())));
      records.put(
          cvm.vmUuid(), applied ? CvmRecord.given(record.intent()) : record.withoutIntent());
    }
    List<CvmRecord.Intent> pending = new ArrayList<>(draft.pendingReplicas());
    for (Cvm cvm : cvms) {
      if (!pending.isEmpty() && unknown(records.get(cvm.vmUuid()))) {
        records.put(cvm.vmUuid(), CvmRecord.given(pending.remove(0)));
      }
    }
    draft.pendingReplicas().clear();
  }

  /**
   * The operator never gave this CVM anything it knows of: no record, or one a pass wrote without
   * settling its intents (one blocked by an untrusted key lists the CVMs it sees).
   */
  private static boolean unknown(CvmRecord record) {
    return record == null || (record.revision() == null && record.intent() == null);
  }

  /**
   * A CVM that served when the intent was written (the status written with it says so: running, or
   * updating, as an intent shows a serving CVM its step restarts; no step is planned for a CVM
   * already busy) and has failed to boot since: it restarted, which only the step makes it do.
   * Taking it as not given would restart it on the same revision again.
   */
  static boolean failedSince(CvmState state, String phaseAtIntent) {
    return "error".equals(state.status())
        && !state.inProgress()
        && ("running".equals(phaseAtIntent) || "updating".equals(phaseAtIntent));
  }

  /**
   * Phala Cloud's history records a change of the CVM at or after the intent: the step came
   * through. Asked only of a CVM whose boot failed before the intent and after (nothing else can
   * tell then); it relies on Phala Cloud's clock agreeing with the operator's to within the time
   * between a failed boot and the next pass.
   */
  static boolean changedSince(Instant changedAt, Instant since) {
    return changedAt != null && since != null && !changedAt.isBefore(since);
  }

  /**
   * Whether a CVM got a step recorded at {@code since}. Only certainty counts as yes: a wrong yes
   * would leave the CVM on a revision the status does not show, a wrong no restarts it once more.
   * Uptime comes in whole seconds, hence the second of margin.
   */
  public static boolean applied(
      String status, boolean inProgress, Optional<Duration> uptime, Instant since, Instant now) {
    if (inProgress) {
      return true;
    }
    if (!"running".equals(status) || uptime.isEmpty() || since == null) {
      return false;
    }
    return uptime.get().plusSeconds(1).compareTo(Duration.between(since, now)) <= 0;
  }
}
