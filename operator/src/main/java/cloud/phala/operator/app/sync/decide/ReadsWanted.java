package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.plan.ObservedCvm;
import cloud.phala.operator.cloud.Cvm;
import java.util.List;

/**
 * Which reads beyond the app's CVMs a pass's decision needs, asked before the decision: each
 * replays the decision's first steps on a fresh draft, so it sees what the decision will.
 */
final class ReadsWanted {
  private final FailurePolicy failures;
  private final Pins pins;

  ReadsWanted(FailurePolicy failures, Pins pins) {
    this.failures = failures;
    this.pins = pins;
  }

  /**
   * Which reads around the listed CVMs the decision needs ({@link ListedReads}). {@code seen}:
   * observed as far as the app's CVMs and the states of those with an intent.
   */
  ListedReads listed(Observation seen) {
    StatusDraft draft = StatusDraft.from(seen.previous(), seen.app().getSpec(), seen.now());
    draft.earlierScheme(seen.earlierNames());
    Desired desired = pins.target(seen, draft, null).desired();
    SettledCvms.retried(
        draft,
        seen,
        SettledCvms.settle(draft, seen.cloud(), desired.osImage()),
        new Notes(),
        desired.osImage());
    return ListedReads.of(draft, desired, seen.previous());
  }

  /**
   * The CVMs whose attestation to read ({@code spec.attestation}): serving a gated revision with no
   * verdict for their current boot. {@code seen}: observed as far as the optional reads.
   */
  List<String> attestations(Observation seen) {
    StatusDraft draft = StatusDraft.from(seen.previous(), seen.app().getSpec(), seen.now());
    if (draft.attested().mode() == cloud.phala.operator.crd.AttestationPolicy.Mode.Off) {
      return List.of();
    }
    draft.earlierScheme(seen.earlierNames());
    Desired desired = pins.target(seen, draft, seen.cloud().pinned()).desired();
    SettledCvms.settle(draft, seen.cloud(), desired.osImage());
    return AttestationGate.wanted(draft, seen.cloud().cvms());
  }

  /** {@code seen}: observed as far as the app's CVMs and their states, without optional reads. */
  Decider.OptionalReads optional(Observation seen) {
    StatusDraft draft = StatusDraft.from(seen.previous(), seen.app().getSpec(), seen.now());
    draft.earlierScheme(seen.earlierNames());
    Desired desired = pins.target(seen, draft, null).desired();
    List<ObservedCvm> observed =
        SettledCvms.retried(
            draft,
            seen,
            SettledCvms.settle(draft, seen.cloud(), desired.osImage()),
            new Notes(),
            desired.osImage());
    List<Cvm> cvms = seen.cloud().cvms();
    return new Decider.OptionalReads(
        failures.rollbackDue(seen.app(), draft, desired, observed),
        failures.recordDue(seen.app(), draft, desired, cvms)
            || Histories.entryDue(draft, desired, cvms),
        pins.copyNeeded(
            seen.app(),
            draft,
            seen.desired(),
            observed,
            Restarts.due(seen.app().getSpec(), seen.now()).orElse(null)));
  }
}
