package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.status.Phase;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;

/**
 * Turns a {@link StatusDraft} into a fresh {@link PhalaAppStatus}: the one way status is written.
 */
final class StatusProjection {
  private StatusProjection() {}

  /** {@code restarting}: shown as their accepted steps will leave them, their intents kept. */
  static PhalaAppStatus toStatus(
      StatusDraft draft, PhalaApp app, java.util.Set<String> restarting) {
    PhalaAppStatus previous = draft.previous;
    Desired desired = draft.desired;
    PhalaAppStatus status = new PhalaAppStatus();
    long generation =
        app.getMetadata().getGeneration() == null ? 0 : app.getMetadata().getGeneration();
    status.observedGeneration = generation;
    status.appId = draft.appId();
    status.kmsId = draft.kmsId();
    status.kmsRootKey = draft.kmsRootKey();
    status.revisionScheme = Revision.SCHEME;
    status.envRevision = desired != null ? desired.revision() : previous.envRevision;
    status.composeRevision = desired != null ? desired.composeRevision() : previous.composeRevision;
    status.envKeys = desired != null ? desired.env().keys() : previous.envKeys;
    status.observedInputs =
        StatusCopies.copy(
            desired != null && draft.inputs != null ? draft.inputs : previous.observedInputs);
    status.cvms =
        draft.observed == null
            ? previous.cvms
            : CvmStatuses.of(
                draft.observed, draft.records(), draft.runningSince, restarting, draft.attested());
    status.rollout = StatusCopies.rolloutStatus(draft.rollout(), draft.pendingReplicas());
    draft.history().writeTo(status);
    CvmStatuses.count(
        status, EffectiveSpec.of(draft.spec), draft.observedAt, draft.attested().mode());
    status.conditions = draft.conditions().merge(previous.conditions, generation, draft.now());
    status.phase = (draft.phase != null ? draft.phase : derivedPhase(draft)).wire();
    return status;
  }

  private static Phase derivedPhase(StatusDraft draft) {
    if (draft.appId() == null) {
      return Phase.PENDING;
    }
    if (draft.failedOnDesired() && FailurePolicy.HALTED.equals(draft.rollout().action)) {
      return Phase.HALTED;
    }
    if (draft.conditions().isTrue(ConditionType.DEGRADED)) {
      return Phase.DEGRADED;
    }
    if (draft.conditions().isTrue(ConditionType.READY)) {
      return Phase.READY;
    }
    return Phase.ROLLING;
  }
}
