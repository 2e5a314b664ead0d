package cloud.phala.operator.app.sim;

import cloud.phala.operator.app.plan.Action;
import cloud.phala.operator.app.sync.PassHook;

/**
 * Kills the operator at one {@link PassHook.Point} of a pass: the {@code nth} time any pass reaches
 * that point from now on. The hook throws, so nothing after that point happens in that operator
 * instance, as with a process killed there.
 */
final class CrashPlan implements PassHook {
  /** The operator process died; nothing catches it on the way out of the pass. */
  static final class OperatorCrash extends Error {
    OperatorCrash(Point point) {
      super("operator killed at " + point, null, false, false);
    }
  }

  private Point armedAt;
  private int remaining;

  void arm(Point point, int nth) {
    this.armedAt = point;
    this.remaining = nth;
  }

  void disarm() {
    armedAt = null;
  }

  @Override
  public void at(Point point, Action step, String revision) {
    if (point != armedAt || --remaining > 0) {
      return;
    }
    armedAt = null;
    throw new OperatorCrash(point);
  }
}
