package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.plan.Action;
import cloud.phala.operator.cloud.ComposeSpec;
import cloud.phala.operator.cloud.ProvisionRequest;
import cloud.phala.operator.cloud.Provisioned;

/**
 * One change a pass makes on Phala Cloud, decided in full: the actor only carries it out. A step
 * that restarts or creates a CVM carries the intent written to status before it is sent.
 */
public sealed interface Step {
  /** The planner's action this step carries out (what the crash tests stop at). */
  Action action();

  /** Asks Phala Cloud for a new app's id, env key and compose hash; nothing runs yet. */
  record Provision(ProvisionRequest request) implements Step {
    @Override
    public Action action() {
      return new Action.CreateApp();
    }
  }

  /** Commits a provision: the app's first CVM boots. */
  record Commit(Provisioned provisioned, CvmRecord.Intent intent) implements Step {
    @Override
    public Action action() {
      return new Action.CreateApp();
    }
  }

  /** How a CVM is given the target revision. */
  sealed interface Change {
    /** A revision Phala Cloud keeps (a rollback), by id. */
    record Redeploy(String phalaRevision) implements Change {}

    /** A new compose (with the env): two phases. */
    record Compose(ComposeSpec compose) implements Change {}

    /** The env alone. */
    record Env() implements Change {}

    /** Nothing changes: the CVM restarts on what it runs (spec.restartAt). */
    record Restart() implements Change {}

    /** Another OS image: the CVM restarts onto it, keeping its compose and env. */
    record OsImage(String image) implements Change {}
  }

  /** Restarts a CVM on the target revision. */
  record Update(String vmUuid, Change change, CvmRecord.Intent intent) implements Step {
    @Override
    public Action action() {
      return new Action.Update(vmUuid);
    }
  }

  /**
   * Copies {@code source} into a new CVM, on node {@code nodeId} (null: Phala Cloud's choice). The
   * replica boots the source's compose and key set, which {@code intent} records: the target
   * revision, or {@link Decider#COMPOSE_PENDING}.
   */
  record AddReplica(
      String source, String sourceName, String composeHash, CvmRecord.Intent intent, Integer nodeId)
      implements Step {
    public AddReplica(
        String source, String sourceName, String composeHash, CvmRecord.Intent intent) {
      this(source, sourceName, composeHash, intent, null);
    }

    AddReplica on(Integer node) {
      return new AddReplica(source, sourceName, composeHash, intent, node);
    }

    @Override
    public Action action() {
      return new Action.AddReplica();
    }
  }

  /** Deletes a CVM. */
  record Remove(String vmUuid) implements Step {
    @Override
    public Action action() {
      return new Action.Remove(vmUuid);
    }
  }
}
