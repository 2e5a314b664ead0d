package cloud.phala.operator.app.sim;

import cloud.phala.operator.app.plan.RolloutSettings;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.cloud.World;
import java.time.Instant;

/**
 * The invariant of spec.minReadySeconds: a pass takes a serving CVM down (a restart or a removal)
 * only while, without it, at least {@code min(available when the pass observed, replicas -
 * maxUnavailable)} CVMs are available: serving for minReadySeconds by the simulator's own record of
 * when each began to run. The operator counts from when a listing showed a CVM serving, never
 * earlier, so every CVM it counts available the simulator does too.
 */
final class MinReadyGuard {
  private final World world;
  private final OtherApps others;
  private final UserCluster cluster;
  private boolean armed;
  private int floor;

  MinReadyGuard(World world, OtherApps others, UserCluster cluster) {
    this.world = world;
    this.others = others;
    this.cluster = cluster;
  }

  /** The pass observed: the floor it must keep, from the spec it read. */
  void observed() {
    SpecShape shape = cluster.shape();
    RolloutSettings limits = shape.settings();
    armed = cluster.pacing().minReadySeconds() > 0 && !limits.recreate();
    if (armed) {
      floor = Math.min(available(null), Math.max(0, shape.replicas() - limits.maxUnavailable()));
    }
  }

  /** A restart or removal of {@code cvm} is about to reach Phala Cloud. */
  void takingDown(CvmSnapshot cvm) {
    if (!armed || !serving(cvm)) {
      return;
    }
    int left = available(cvm.vmUuid().toString());
    if (left < floor) {
      throw new Violation(
          "a pass took CVM "
              + cvm.vmUuid()
              + " down while only "
              + left
              + " other CVMs had served minReadySeconds="
              + cluster.pacing().minReadySeconds()
              + " (floor "
              + floor
              + "; spec "
              + cluster.shape()
              + ")");
    }
  }

  private int available(String except) {
    Instant now = world.time().clock().instant();
    int seconds = cluster.pacing().minReadySeconds();
    return (int)
        others.ours().stream()
            .filter(c -> !c.vmUuid().toString().equals(except) && serving(c))
            .filter(c -> c.runningSince() != null)
            .filter(c -> !c.runningSince().plusSeconds(seconds).isAfter(now))
            .count();
  }

  private static boolean serving(CvmSnapshot cvm) {
    return "running".equals(cvm.status()) && !cvm.inProgress();
  }
}
