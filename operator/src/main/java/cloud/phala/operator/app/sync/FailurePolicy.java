package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.plan.ObservedCvm;
import cloud.phala.operator.app.plan.RolloutFailure;
import cloud.phala.operator.app.status.EventRecorder;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crypto.EnvPublicKey;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Optional;

/**
 * {@code rollout.onFailure}: finds a failed rollout, then either halts it (nothing more is done for
 * that revision) or rolls the app back to the last revision every replica ran, from its kept
 * ciphertext. Remembers each revision that rolled out fully.
 */
final class FailurePolicy {
  static final String HALTED = "Halted";
  static final String ROLLED_BACK = "RolledBack";

  private final RollbackStore store;
  private final EventRecorder events;

  FailurePolicy(RollbackStore store, EventRecorder events) {
    this.store = store;
    this.events = events;
  }

  /** The revision this pass rolls toward: the desired one, the last good one, or none (halted). */
  Optional<Desired> target(PhalaApp app, StatusDraft draft, Desired desired, EnvPublicKey key) {
    if (!draft.failedOnDesired()) {
      return Optional.of(desired);
    }
    PhalaAppStatus.RolloutStatus rollout = draft.rollout();
    if (!ROLLED_BACK.equals(rollout.action)) {
      return Optional.empty();
    }
    Optional<RollbackStore.Kept> kept =
        store
            .load(app)
            .filter(k -> k.revision().equals(rollout.lastGoodRevision))
            .filter(k -> k.env().recipient().equals(key));
    if (kept.isEmpty()) {
      halt(
          app,
          rollout,
          "the sealed env of revision "
              + rollout.lastGoodRevision
              + " is not kept (or was sealed to another key), so the rollout is halted instead");
      return Optional.empty();
    }
    RollbackStore.Kept k = kept.get();
    return Optional.of(
        new Desired(
            k.env(),
            k.compose(),
            k.preLaunchScript(),
            k.revision(),
            k.composeRevision(),
            desired.replicas(),
            desired.rollout()));
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
        rollback ? "RollingBack" : "RolloutHalted",
        message
            + (rollback
                ? "; rolling back to revision " + rollout.lastGoodRevision
                : "; the other replicas are left as they are"));
    return true;
  }

  /** Remembers a revision every replica runs; with onFailure Rollback, also its ciphertext. */
  void completed(
      PhalaApp app, StatusDraft draft, Desired desired, EnvPublicKey key, List<Cvm> cvms) {
    boolean everyReplica =
        cvms.size() == desired.replicas()
            && cvms.stream()
                .allMatch(
                    c -> c.isServing() && desired.revision().equals(draft.revisionOf(c.vmUuid())));
    if (!everyReplica || draft.failedOnDesired()) {
      return;
    }
    PhalaAppStatus.RolloutStatus rollout = draft.rollout();
    boolean changed = !desired.revision().equals(rollout.lastGoodRevision);
    rollout.lastGoodRevision = desired.revision();
    if (desired.rollout().rollbackOnFailure() && (changed || rollout.rollbackSecret == null)) {
      try {
        store.save(app, desired, key);
        rollout.rollbackSecret = RollbackStore.secretName(app);
      } catch (KubernetesClientException e) {
        // the app is fine; only a later rollback would lack this revision, so say so and retry
        rollout.rollbackSecret = null;
        events.warning(
            app,
            "RollbackNotKept",
            "could not keep revision "
                + desired.revision()
                + " for a rollback in Secret "
                + RollbackStore.secretName(app)
                + ": HTTP "
                + e.getCode()
                + "; retried on the next pass");
      }
    }
  }

  private void halt(PhalaApp app, PhalaAppStatus.RolloutStatus rollout, String why) {
    rollout.action = HALTED;
    events.warning(app, "RolloutHalted", why);
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
