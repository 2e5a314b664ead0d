package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.Cvm;

/**
 * The Normal Event an accepted step records. A rollout's restarts record one Event, for its first
 * CVM (as a Deployment records its scaling, not each Pod): status says which CVMs follow. A
 * rollback's redeploys each record one, as they restore a failed revision.
 */
public final class StepNotes {
  private StepNotes() {}

  /** {@code created}: the CVM the step created (a commit or a replica), else null. */
  public static void accepted(Notes notes, Step step, Desired target, Cvm created) {
    if (step instanceof Step.Commit commit) {
      notes.normal(
          Reason.CREATED,
          "created app " + commit.provisioned().appId() + " with CVM " + created.name());
    } else if (step instanceof Step.Update update) {
      updated(notes, update, target);
    } else if (step instanceof Step.AddReplica add) {
      notes.normal(
          Reason.REPLICA_ADDED,
          "added CVM "
              + created.name()
              + (add.intent().revision().equals(target.revision())
                  ? " on revision " + target.revision()
                  : " copied from "
                      + add.sourceName()
                      + ", whose compose or key set differs; it is updated next"));
    } else if (step instanceof Step.Remove remove) {
      notes.normal(Reason.REPLICA_REMOVED, "removed CVM " + remove.vmUuid());
    }
  }

  private static void updated(Notes notes, Step.Update update, Desired target) {
    String message = "CVM " + update.vmUuid() + " restarting on revision " + target.revision();
    if (update.change() instanceof Step.Change.Redeploy redeploy) {
      notes.normal(
          Reason.REDEPLOYED, message + " (Phala Cloud revision " + redeploy.phalaRevision() + ")");
      return;
    }
    String during = HealthReport.rollingOut(target.revision());
    String others = "; the rollout's other CVMs follow without an Event each";
    if (update.change() instanceof Step.Change.Restart) {
      notes.normalOncePer(
          during, Reason.RESTARTED, message + ", unchanged (spec.restartAt)" + others);
    } else if (update.change() instanceof Step.Change.OsImage image) {
      notes.normalOncePer(
          during, Reason.OS_IMAGE_UPDATED, message + " onto OS image " + image.image() + others);
    } else if (update.change() instanceof Step.Change.Compose) {
      notes.normalOncePer(during, Reason.COMPOSE_UPDATED, message + others);
    } else {
      notes.normalOncePer(during, Reason.ENV_UPDATED, message + others);
    }
  }
}
