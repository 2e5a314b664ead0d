package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.plan.ObservedCvm;
import cloud.phala.operator.app.plan.RolloutSettings;
import cloud.phala.operator.cloud.Cvm;
import java.time.Duration;
import java.util.List;

/** The CVMs as the planner sees them: intents settled, records tagged, a retry applied. */
final class SettledCvms {
  private SettledCvms() {}

  /**
   * The CVMs as {@code settled}, or as a retry of a failed rollout (spec.rollout.retryAt) left
   * them.
   */
  static List<ObservedCvm> retried(
      StatusDraft draft, Observation seen, List<ObservedCvm> settled, Notes notes, String image) {
    List<Cvm> cvms = seen.cloud().cvms();
    return Retries.retry(draft, seen.app().getSpec(), cvms, notes)
        ? cvms.stream().map(c -> observed(draft, c, image)).toList()
        : settled;
  }

  /**
   * Intents settled, then each CVM with the revision the operator gave it, tagged with the OS image
   * it reports when {@code image} is asked for, and whether it is not available yet (warming) or
   * never will be (rejected by the attestation gate).
   */
  static List<ObservedCvm> settle(StatusDraft draft, Observation.Cloud cloud, String image) {
    IntentCheck.settle(draft, cloud.cvms(), cloud);
    OsImageTag.retag(draft.records(), cloud.cvms(), image);
    draft.observed(cloud.cvms(), cloud.listedAt() != null ? cloud.listedAt() : draft.now());
    AttestationGate.record(draft, cloud.attestations());
    return cloud.cvms().stream().map(c -> observed(draft, c, image)).toList();
  }

  static ObservedCvm observed(StatusDraft draft, Cvm c, String image) {
    CvmRecord record = draft.records().get(c.vmUuid());
    return new ObservedCvm(
        c.vmUuid(),
        c.status(),
        c.inProgress(),
        record == null ? null : OsImageTag.seen(record.revision(), c, image),
        record == null ? null : OsImageTag.seen(record.composeRevision(), c, image),
        record == null ? null : record.givenAt(),
        c.isServing() && !draft.available(c.vmUuid()),
        AttestationGate.rejects(draft, c, readyTimeout(draft)));
  }

  private static Duration readyTimeout(StatusDraft draft) {
    return RolloutSettings.from(draft.spec.rollout, EffectiveSpec.of(draft.spec).replicas())
        .readyTimeout();
  }
}
