package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.plan.Action;
import cloud.phala.operator.app.plan.Plan;
import cloud.phala.operator.app.status.EventRecorder;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.ComposeSpec;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.SealedEnv;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Carries out planned actions on Phala Cloud, each sending only ciphertext. A step that restarts or
 * creates a CVM is first written to status as an intent ({@code checkpoint}), so an operator that
 * dies before it learns the answer can tell on restart whether the step happened.
 */
final class CvmActions {
  /** The revision recorded for a replica that boots an older compose or key set than desired. */
  static final String COMPOSE_PENDING = "compose-pending";

  private final PhalaCloudClient client;
  private final EnvPublicKey key;
  private final Desired desired;
  private final StatusDraft draft;
  private final Runnable checkpoint;
  private final PhalaApp app;
  private final EventRecorder events;
  private final PassHook hook;

  CvmActions(
      PhalaCloudClient client,
      EnvPublicKey key,
      Desired desired,
      StatusDraft draft,
      Runnable checkpoint,
      PhalaApp app,
      EventRecorder events,
      PassHook hook) {
    this.hook = hook;
    this.client = client;
    this.key = key;
    this.desired = desired;
    this.draft = draft;
    this.checkpoint = checkpoint;
    this.app = app;
    this.events = events;
  }

  /** Every action of {@code plan}, in order; {@code cvms}: the app's CVMs before any of them. */
  void runAll(Plan plan, List<Cvm> cvms) {
    Optional<Cvm> source = replicaSource(plan, cvms);
    for (Action action : plan.actions()) {
      if (action instanceof Action.AddReplica && source.isEmpty()) {
        continue;
      }
      run(action, source.orElse(null));
    }
  }

  /**
   * The CVM a new replica is copied from (it boots that CVM's compose and key set): one this plan
   * keeps, serving, preferably already on the desired compose and key set, as the planner expects.
   */
  private Optional<Cvm> replicaSource(Plan plan, List<Cvm> cvms) {
    Set<String> removed =
        plan.actions().stream()
            .filter(a -> a instanceof Action.Remove)
            .map(a -> ((Action.Remove) a).vmUuid())
            .collect(Collectors.toSet());
    List<Cvm> kept = cvms.stream().filter(c -> !removed.contains(c.vmUuid())).toList();
    return kept.stream()
        .filter(c -> c.isServing() && isTemplate(c))
        .findFirst()
        .or(() -> kept.stream().filter(Cvm::isServing).findFirst())
        .or(() -> kept.stream().findFirst());
  }

  /** A replica copied from {@code cvm} boots the desired compose and key set. */
  private boolean isTemplate(Cvm cvm) {
    CvmRecord record = records().get(cvm.vmUuid());
    return record != null
        && (desired.revision().equals(record.revision())
            || desired.composeRevision().equals(record.composeRevision()));
  }

  private void run(Action action, Cvm source) {
    hook.at(PassHook.Point.STEP_PLANNED, action, desired.revision());
    if (action instanceof Action.AddReplica add) {
      addReplica(add, source);
    } else if (action instanceof Action.Update update) {
      update(update);
    } else if (action instanceof Action.Remove remove) {
      try {
        client.delete(remove.vmUuid());
      } catch (PhalaApiException e) {
        if (!e.isNotFound()) {
          throw e;
        }
      }
      hook.at(PassHook.Point.STEP_ACCEPTED, action, desired.revision());
      records().remove(remove.vmUuid());
      events.normal(app, Reason.REPLICA_REMOVED, "removed CVM " + remove.vmUuid());
    }
  }

  /**
   * Copies {@code source}. The replica runs the desired revision only if the source has the desired
   * compose and key set; otherwise it is recorded as pending one, so a later pass restarts it.
   */
  private void addReplica(Action.AddReplica step, Cvm source) {
    CvmRecord from = records().get(source.vmUuid());
    CvmRecord.Intent intent =
        isTemplate(source)
            ? new CvmRecord.Intent(desired.revision(), desired.composeRevision(), draft.now())
            : new CvmRecord.Intent(
                COMPOSE_PENDING, from == null ? null : from.composeRevision(), draft.now());
    draft.pendingReplicas().add(intent);
    checkpoint.run();
    hook.at(PassHook.Point.INTENT_WRITTEN, step, desired.revision());
    Cvm replica = client.replicate(source.vmUuid(), sealed(), source.composeHash());
    hook.at(PassHook.Point.STEP_ACCEPTED, step, desired.revision());
    draft.pendingReplicas().remove(intent);
    records().put(replica.vmUuid(), CvmRecord.given(intent));
    draft.replicaAdded(replica);
    events.normal(
        app,
        Reason.REPLICA_ADDED,
        "added CVM "
            + replica.name()
            + (intent.revision().equals(desired.revision())
                ? " on revision " + desired.revision()
                : " copied from "
                    + source.name()
                    + ", whose compose or key set differs; it is updated next"));
  }

  private void update(Action.Update step) {
    String vmUuid = step.vmUuid();
    CvmRecord before = records().getOrDefault(vmUuid, new CvmRecord(null, null));
    boolean composeChanged = !desired.composeRevision().equals(before.composeRevision());
    CvmRecord.Intent intent =
        new CvmRecord.Intent(desired.revision(), desired.composeRevision(), draft.now());
    records().put(vmUuid, before.intending(intent));
    checkpoint.run();
    hook.at(PassHook.Point.INTENT_WRITTEN, step, desired.revision());
    Reason reason;
    String message = "CVM " + vmUuid + " restarting on revision " + desired.revision();
    if (desired.env() instanceof EnvPayload.Kept kept) {
      client.redeployRevision(vmUuid, kept.phalaRevision());
      reason = Reason.REDEPLOYED;
      message += " (Phala Cloud revision " + kept.phalaRevision() + ")";
    } else if (composeChanged) {
      String hash =
          client.provisionComposeUpdate(
              vmUuid, new ComposeSpec(desired.compose(), desired.preLaunchScript(), keys()));
      client.commitComposeUpdate(vmUuid, hash, sealed(), keys());
      reason = Reason.COMPOSE_UPDATED;
    } else {
      client.updateEnvs(vmUuid, sealed(), keys());
      reason = Reason.ENV_UPDATED;
    }
    hook.at(PassHook.Point.STEP_ACCEPTED, step, desired.revision());
    records().put(vmUuid, CvmRecord.given(intent));
    events.normal(app, reason, message);
  }

  private Map<String, CvmRecord> records() {
    return draft.records();
  }

  private List<String> keys() {
    return desired.env().keys();
  }

  SealedEnv sealed() {
    return desired.env().sealedTo(key);
  }
}
