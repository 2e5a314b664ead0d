package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.plan.ObservedCvm;
import cloud.phala.operator.app.plan.RolloutFailure;
import cloud.phala.operator.app.status.EventRecorder;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.AppRevision;
import cloud.phala.operator.cloud.ComposeSpec;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaTransportException;
import cloud.phala.operator.cloud.RevisionPage;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code rollout.onFailure}: finds a failed rollout, then either halts it (nothing more is done for
 * that revision) or rolls the app back to the last revision every replica ran, by redeploying the
 * Phala Cloud revision it ran. Remembers each revision that rolled out fully and, with Rollback,
 * which Phala Cloud revision that was.
 */
final class FailurePolicy {
  static final String HALTED = "Halted";
  static final String ROLLED_BACK = "RolledBack";

  /** How much of an app's history is read for the revision its replicas run. */
  private static final int HISTORY_PAGE_SIZE = 100;

  private static final int HISTORY_PAGES = 10;

  private final RollbackRecords records;
  private final EventRecorder events;

  FailurePolicy(RollbackRecords records, EventRecorder events) {
    this.records = records;
    this.events = events;
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
      PhalaCloudClient client) {
    if (!draft.failedOnDesired()) {
      return Optional.of(desired);
    }
    PhalaAppStatus.RolloutStatus rollout = draft.rollout();
    if (!ROLLED_BACK.equals(rollout.action)
        || servingLastGood(observed, desired.replicas(), rollout.lastGoodRevision)) {
      return Optional.empty();
    }
    PhalaAppStatus.RollbackRecord record = rollout.rollbackRecord;
    if (!records.verifies(app, draft.appId(), rollout.lastGoodRevision, record)) {
      notRolledBack(
          app,
          rollout,
          "status.rollout.rollbackRecord is missing or does not verify, so which Phala Cloud"
              + " revision revision "
              + rollout.lastGoodRevision
              + " ran is not known");
      return Optional.empty();
    }
    Optional<String> refused;
    AppRevision phala = null;
    try {
      phala = client.appRevision(draft.appId(), record.phalaRevision);
      refused = RollbackRecords.mismatch(phala, draft.appId(), record);
    } catch (PhalaApiException e) {
      if (!e.isNotFound()) {
        throw e;
      }
      refused =
          Optional.of(
              "Phala Cloud has no revision " + record.phalaRevision + " of app " + draft.appId());
    }
    if (refused.isPresent()) {
      notRolledBack(app, rollout, refused.get());
      return Optional.empty();
    }
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
            desired.rollout()));
  }

  /** Every replica serves the last good revision: a rollback has nothing (left) to do. */
  private static boolean servingLastGood(
      List<ObservedCvm> observed, int replicas, String lastGoodRevision) {
    return observed.size() == replicas
        && observed.stream().allMatch(c -> c.serving() && c.onRevision(lastGoodRevision));
  }

  /** Records a failure of {@code target}'s rollout; true when there is one. */
  boolean failed(
      PhalaApp app,
      StatusDraft draft,
      Desired desired,
      Desired target,
      List<ObservedCvm> observed,
      PhalaCloudClient client) {
    Optional<RolloutFailure> failure =
        RolloutFailure.find(
            target.revision(), desired.rollout().readyTimeout(), draft.now(), observed);
    if (failure.isEmpty()) {
      return false;
    }
    String message = describe(failure.get(), target, desired, client);
    PhalaAppStatus.RolloutStatus rollout = draft.rollout();
    if (target != desired) {
      rollout.failure = rollout.failure + "; the rollback failed too: " + message;
      halt(app, rollout, "rollback to revision " + target.revision() + " failed: " + message);
      return true;
    }
    rollout.failedRevision = desired.revision();
    rollout.failure = message;
    boolean rollback = desired.rollout().rollbackOnFailure() && rollout.lastGoodRevision != null;
    rollout.action = rollback ? ROLLED_BACK : HALTED;
    events.warning(
        app,
        rollback ? Reason.ROLLING_BACK : Reason.ROLLOUT_HALTED,
        message
            + (rollback
                ? "; rolling back to revision " + rollout.lastGoodRevision
                : "; the other replicas are left as they are"));
    return true;
  }

  /**
   * Remembers a revision every replica runs; with onFailure Rollback, also which Phala Cloud
   * revision that is, unless a verified record of it is already kept.
   */
  void completed(
      PhalaApp app, StatusDraft draft, Desired desired, List<Cvm> cvms, PhalaCloudClient client) {
    boolean everyReplica =
        cvms.size() == desired.replicas()
            && cvms.stream()
                .allMatch(
                    c -> c.isServing() && desired.revision().equals(draft.revisionOf(c.vmUuid())));
    if (!everyReplica || draft.failedOnDesired()) {
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
    String why;
    try {
      Optional<AppRevision> running =
          RollbackRecords.running(history(client, draft.appId(), cvms), cvms);
      if (running.isPresent()) {
        rollout.rollbackRecord =
            records.record(
                app, draft.appId(), desired.revision(), desired.composeRevision(), running.get());
        return;
      }
      why = "its Phala Cloud history shows no revision the replicas run";
    } catch (PhalaApiException | PhalaTransportException e) {
      why = e.getMessage();
    }
    // the app is fine; only a later rollback would lack this revision, so say so and retry
    events.warning(
        app,
        Reason.ROLLBACK_NOT_KEPT,
        "could not record which Phala Cloud revision revision "
            + desired.revision()
            + " runs, for a rollback: "
            + why
            + "; retried on the next pass");
  }

  /** The app's history newest first, as far back as needed to find one of {@code cvms}. */
  private static List<AppRevision> history(PhalaCloudClient client, String appId, List<Cvm> cvms) {
    List<AppRevision> out = new ArrayList<>();
    for (int page = 1; page <= HISTORY_PAGES; page++) {
      RevisionPage next = client.appRevisions(appId, page, HISTORY_PAGE_SIZE);
      out.addAll(next.revisions());
      if (RollbackRecords.mentionsAny(next.revisions(), cvms) || page >= next.totalPages()) {
        break;
      }
    }
    return out;
  }

  /** A rollback that cannot be done: halted, saying why. */
  private void notRolledBack(PhalaApp app, PhalaAppStatus.RolloutStatus rollout, String why) {
    rollout.failure = rollout.failure + "; not rolled back: " + why;
    halt(app, rollout, "not rolled back to revision " + rollout.lastGoodRevision + ": " + why);
  }

  private void halt(PhalaApp app, PhalaAppStatus.RolloutStatus rollout, String why) {
    rollout.action = HALTED;
    events.warning(app, Reason.ROLLOUT_HALTED, why);
  }

  private static String describe(
      RolloutFailure failure, Desired target, Desired desired, PhalaCloudClient client) {
    if (failure.bootFailed()) {
      String error = client.state(failure.vmUuid()).bootError().orElse("no boot error given");
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
