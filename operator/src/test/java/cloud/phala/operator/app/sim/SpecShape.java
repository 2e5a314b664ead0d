package cloud.phala.operator.app.sim;

import cloud.phala.operator.app.plan.RolloutSettings;
import cloud.phala.operator.crd.Rollout;
import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * The parts of a PhalaApp spec a history changes: replicas, the rollout's limits (a count or a
 * percentage), strategy, pause, onFailure, readyTimeout, which of two composes it runs, and its
 * pre-launch script (none, so Phala Cloud's default, or one of two).
 */
record SpecShape(
    int replicas,
    String maxUnavailable,
    String maxSurge,
    boolean recreate,
    boolean paused,
    boolean rollback,
    String readyTimeout,
    int composeVariant,
    int script) {

  static final SpecShape INITIAL = new SpecShape(3, "1", "0", false, false, false, null, 0, 0);

  /** Every pre-launch script a spec names holds this; any other is Phala Cloud's default. */
  static final String SCRIPT_MARK = "# sim pre-launch script #";

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

  /** The spec's pre-launch script, or null for none (Phala Cloud's default). */
  String preLaunchScript() {
    return script == 0 ? null : "#!/bin/sh\n" + SCRIPT_MARK + script + "\n";
  }

  SpecShape withScript(int next) {
    return new SpecShape(
        replicas,
        maxUnavailable,
        maxSurge,
        recreate,
        paused,
        rollback,
        readyTimeout,
        composeVariant,
        next);
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
        composeVariant,
        script);
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
        + composeVariant
        + (script == 0 ? "" : " script#" + script);
  }
}
