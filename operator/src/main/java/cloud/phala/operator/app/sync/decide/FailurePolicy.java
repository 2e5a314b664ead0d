package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.plan.ObservedCvm;
import cloud.phala.operator.app.plan.RolloutFailure;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.AppRevision;
import cloud.phala.operator.cloud.ComposeSpec;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.CvmState;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code rollout.onFailure}: finds a failed rollout, then either halts it (nothing more is done for
 * that revision) or rolls the app back to the last revision every replica ran, by redeploying the
 * Phala Cloud revision it ran. Remembers each revision that rolled out fully and, with Rollback,
 * which Phala Cloud revision that was. Pure: what it needs from Phala Cloud is read beforehand,
 * when {@link #rollbackDue} or {@link #recordDue} says so.
 */
final class FailurePolicy {
  static final String HALTED = "Halted";
  static final String ROLLED_BACK = "RolledBack";

  private final RollbackRecords records;

  FailurePolicy(RollbackRecords records) {
    this.records = records;
  }

  /** A rollback is under way and its record verifies: Phala Cloud's copy of it is needed. */
  boolean rollbackDue(
      PhalaApp app, StatusDraft draft, Desired desired, List<ObservedCvm> observed) {
    PhalaAppStatus.RolloutStatus rollout = draft.rollout();
    return draft.failedOnDesired()
        && ROLLED_BACK.equals(rollout.action)
        && !servingLastGood(draft, observed, desired.replicas(), rollout.lastGoodRevision)
        && records.verifies(app, draft.appId(), rollout.lastGoodRevision, rollout.rollbackRecord);
  }

  /**
   * The revision this pass rolls toward: the desired one, the last good one (the Phala Cloud
   * revision its record names, if the record verifies and Phala Cloud's copy matches it), or none
   * (halted, or rolled back with every replica serving the last good revision again).
   */
  Optional<Desired> target(
      PhalaApp app,
      StatusDraft draft,
      Desired desired,
      List<ObservedCvm> observed,
      Observation.Lookup<AppRevision> phalaCopy,
      Notes notes) {
    if (!draft.failedOnDesired()) {
      return Optional.of(desired);
    }
    PhalaAppStatus.RolloutStatus rollout = draft.rollout();
    if (!ROLLED_BACK.equals(rollout.action)
        || servingLastGood(draft, observed, desired.replicas(), rollout.lastGoodRevision)) {
      return Optional.empty();
    }
    if (desired.osImage() != null && OsImageTag.image(rollout.lastGoodRevision) == null) {
      // its CVMs ran whatever image Phala Cloud deployed: which one to return to is not known
      notRolledBack(rollout, "it names no OS image to move the CVMs back to", notes);
      return Optional.empty();
    }
    PhalaAppStatus.RollbackRecord record = rollout.rollbackRecord;
    if (!records.verifies(app, draft.appId(), rollout.lastGoodRevision, record)) {
      notRolledBack(
          rollout,
          "status.rollout.rollbackRecord is missing or does not verify, so which Phala Cloud"
              + " revision revision "
              + rollout.lastGoodRevision
              + " ran is not known",
          notes);
      return Optional.empty();
    }
    Optional<String> refused =
        phalaCopy
            .value()
            .map(phala -> RollbackRecords.mismatch(phala, draft.appId(), record))
            .orElseGet(() -> Optional.of(String.valueOf(phalaCopy.problem())));
    if (refused.isPresent()) {
      notRolledBack(rollout, refused.get(), notes);
      return Optional.empty();
    }
    AppRevision phala = phalaCopy.value().orElseThrow();
    ComposeSpec compose = phala.compose().orElseThrow();
    return Optional.of(
        new Desired(
            new EnvPayload.Kept(
                phala.revisionId(), phala.env().orElseThrow(), compose.allowedEnvs()),
            compose.dockerComposeFile(),
            compose.preLaunchScript(),
            rollout.lastGoodRevision,
            record.composeRevision,
            desired.replicas(),
            desired.rollout(),
            OsImageTag.image(rollout.lastGoodRevision)));
  }

  /**
   * Every replica serves the last good revision (under Required, verified): a rollback has nothing
   * (left) to do. Until the last CVM moved back is verified the rollback goes on, so a failed
   * attestation of it still fails the rollback.
   */
  private static boolean servingLastGood(
      StatusDraft draft, List<ObservedCvm> observed, int replicas, String lastGoodRevision) {
    return observed.size() == replicas
        && observed.stream()
            .allMatch(
                c ->
                    c.serving()
                        && c.onRevision(lastGoodRevision)
                        && !AttestationGate.holdsBack(draft, c.vmUuid()));
  }

  /** Records a failure of {@code target}'s rollout; true when there is one. */
  boolean failed(
      StatusDraft draft,
      Desired desired,
      Desired target,
      List<ObservedCvm> observed,
      Map<String, CvmState> states,
      Notes notes) {
    Optional<String> failure =
        RolloutFailure.find(
                target.revision(), desired.rollout().readyTimeout(), draft.now(), observed)
            .map(f -> describe(f, target, desired, states))
            .or(
                () ->
                    AttestationGate.failure(
                        draft, target.revision(), desired.rollout().readyTimeout()));
    if (failure.isEmpty()) {
      return false;
    }
    String message = failure.get();
    PhalaAppStatus.RolloutStatus rollout = draft.rollout();
    if (target != desired) {
      rollout.failure = rollout.failure + "; the rollback failed too: " + message;
      halt(rollout, "rollback to revision " + target.revision() + " failed: " + message, notes);
      return true;
    }
    rollout.failedRevision = desired.revision();
    rollout.failure = message;
    rollout.failedAt = draft.now().toString();
    boolean rollback = desired.rollout().rollbackOnFailure() && rollout.lastGoodRevision != null;
    rollout.action = rollback ? ROLLED_BACK : HALTED;
    notes.warning(
        rollback ? Reason.ROLLING_BACK : Reason.ROLLOUT_HALTED,
        message
            + (rollback
                ? "; rolling back to revision " + rollout.lastGoodRevision
                : "; the other replicas are left as they are"));
    return true;
  }

  /** Every replica runs the desired revision and no verified record of it is kept yet. */
  boolean recordDue(PhalaApp app, StatusDraft draft, Desired desired, List<Cvm> cvms) {
    if (!everyReplica(draft, desired, cvms)
        || !desired.rollout().rollbackOnFailure()
        || cvms.isEmpty()) {
      return false;
    }
    PhalaAppStatus.RolloutStatus rollout = draft.rollout();
    return !desired.revision().equals(rollout.lastGoodRevision)
        || !records.verifies(app, draft.appId(), rollout.lastGoodRevision, rollout.rollbackRecord);
  }

  /**
   * Remembers a revision every replica runs; with onFailure Rollback, also which Phala Cloud
   * revision that is ({@code history}: the app's revisions newest first), unless a verified record
   * of it is already kept.
   */
  void completed(
      PhalaApp app,
      StatusDraft draft,
      Desired desired,
      List<Cvm> cvms,
      Observation.Lookup<List<AppRevision>> history,
      Notes notes) {
    if (!everyReplica(draft, desired, cvms)) {
      return;
    }
    PhalaAppStatus.RolloutStatus rollout = draft.rollout();
    if (!desired.revision().equals(rollout.lastGoodRevision)) {
      rollout.lastGoodRevision = desired.revision();
      rollout.rollbackRecord = null;
    }
    if (!desired.rollout().rollbackOnFailure()
        || cvms.isEmpty()
        || records.verifies(app, draft.appId(), rollout.lastGoodRevision, rollout.rollbackRecord)) {
      return;
    }
    Optional<AppRevision> running =
        history.value().flatMap(revisions -> RollbackRecords.running(revisions, cvms));
    if (running.isPresent()) {
      rollout.rollbackRecord =
          records.record(
              app, draft.appId(), desired.revision(), desired.composeRevision(), running.get());
      return;
    }
    String why =
        history.value().isPresent()
            ? "its Phala Cloud history shows no revision the replicas run"
            : history.problem();
    // the app is fine; only a later rollback would lack this revision, so say so and retry
    notes.warning(
        Reason.ROLLBACK_NOT_KEPT,
        "could not record which Phala Cloud revision revision "
            + desired.revision()
            + " runs, for a rollback: "
            + why
            + "; retried on the next pass");
  }

  static boolean everyReplica(StatusDraft draft, Desired desired, List<Cvm> cvms) {
    return cvms.size() == desired.replicas()
        && !draft.failedOnDesired()
        && cvms.stream()
            .allMatch(
                c ->
                    c.isServing()
                        && desired.revision().equals(draft.revisionOf(c.vmUuid()))
                        && !AttestationGate.holdsBack(draft, c.vmUuid()));
  }

  /** A rollback that cannot be done: halted, saying why. */
  private static void notRolledBack(PhalaAppStatus.RolloutStatus rollout, String why, Notes notes) {
    rollout.failure = rollout.failure + "; not rolled back: " + why;
    halt(rollout, "not rolled back to revision " + rollout.lastGoodRevision + ": " + why, notes);
  }

  private static void halt(PhalaAppStatus.RolloutStatus rollout, String why, Notes notes) {
    rollout.action = HALTED;
    notes.warning(Reason.ROLLOUT_HALTED, why);
  }

  private static String describe(
      RolloutFailure failure, Desired target, Desired desired, Map<String, CvmState> states) {
    if (failure.bootFailed()) {
      CvmState state = states.get(failure.vmUuid());
      String error =
          state == null ? "no boot error given" : state.bootError().orElse("no boot error given");
      return "CVM "
          + failure.vmUuid()
          + " failed to boot revision "
          + target.revision()
          + ": "
          + error;
    }
    return "CVM "
        + failure.vmUuid()
        + " was not running revision "
        + target.revision()
        + " within readyTimeout "
        + desired.rollout().readyTimeout();
  }
}
