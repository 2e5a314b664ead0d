package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.Cvm;

/** The Normal Event each accepted step records. */
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
    if (update.change() instanceof Step.Change.Restart) {
      notes.normal(Reason.RESTARTED, message + ", unchanged (spec.restartAt)");
    } else if (update.change() instanceof Step.Change.Redeploy redeploy) {
      notes.normal(
          Reason.REDEPLOYED, message + " (Phala Cloud revision " + redeploy.phalaRevision() + ")");
    } else if (update.change() instanceof Step.Change.OsImage image) {
      notes.normal(Reason.OS_IMAGE_UPDATED, message + " onto OS image " + image.image());
    } else if (update.change() instanceof Step.Change.Compose) {
      notes.normal(Reason.COMPOSE_UPDATED, message);
    } else {
      notes.normal(Reason.ENV_UPDATED, message);
    }
  }
}
