package cloud.phala.operator.app.sim;

import cloud.phala.operator.app.plan.RolloutSettings;
import cloud.phala.operator.crd.Rollout;
import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * The parts of a PhalaApp spec a history changes: replicas, the rollout's limits (a count or a
 * percentage), strategy, pause, onFailure, readyTimeout, and which of two composes it runs.
 */
record SpecShape(
    int replicas,
    String maxUnavailable,
    String maxSurge,
    boolean recreate,
    boolean paused,
    boolean rollback,
    String readyTimeout,
    int composeVariant) {

  static final SpecShape INITIAL = new SpecShape(3, "1", "0", false, false, false, null, 0);

  Rollout rollout() {
    Rollout r = new Rollout();
    r.maxUnavailable = intOrPercent(maxUnavailable);
    r.maxSurge = intOrPercent(maxSurge);
    r.strategy = recreate ? Rollout.Strategy.Recreate : Rollout.Strategy.RollingUpdate;
    r.paused = paused;
    r.onFailure = rollback ? Rollout.OnFailure.Rollback : Rollout.OnFailure.Halt;
    r.readyTimeout = readyTimeout;
    return r;
  }

  /** The limits as the planner counts them, from this spec. */
  RolloutSettings settings() {
    return RolloutSettings.from(rollout(), replicas);
  }

  String compose() {
    return "services:\n  api:\n    image: nginx:1." + composeVariant + "\n";
  }

  SpecShape resumed() {
    return new SpecShape(
        replicas,
        maxUnavailable,
        maxSurge,
        recreate,
        false,
        rollback,
        readyTimeout,
        composeVariant);
  }

  private static IntOrString intOrPercent(String text) {
    return text.endsWith("%") ? new IntOrString(text) : new IntOrString(Integer.parseInt(text));
  }

  @Override
  public String toString() {
    return "replicas="
        + replicas
        + " maxUnavailable="
        + maxUnavailable
        + " maxSurge="
        + maxSurge
        + (recreate ? " Recreate" : "")
        + (paused ? " paused" : "")
        + (rollback ? " onFailure=Rollback" : " onFailure=Halt")
        + (readyTimeout == null ? "" : " readyTimeout=" + readyTimeout)
        + " compose#"
        + composeVariant;
  }
}
