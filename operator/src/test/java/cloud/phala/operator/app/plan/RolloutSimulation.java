package cloud.phala.operator.app.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the planner against a toy cloud where each action takes one step to complete, checking at
 * every step that availability stays at or above {@code replicas - maxUnavailable} and that the
 * rollout ends with every replica on the new revision.
 */
final class RolloutSimulation {
  private static final Target TARGET = new Target("new", "compose");

  private RolloutSimulation() {}

  static void run(int replicas, RolloutSettings rollout) {
    List<ObservedCvm> start = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      start.add(new ObservedCvm("old-" + i, "running", false, "old", "compose", null));
    }
    ToyCloud cloud = new ToyCloud(start);
    int minServing = Math.max(0, replicas - rollout.maxUnavailable());
    for (int step = 0; step < 100; step++) {
      cloud.finishOperations();
      Plan plan = RolloutPlanner.plan(true, replicas, TARGET, rollout, cloud.cvms());
      if (!plan.converging()) {
        assertThat(cloud.cvms())
            .hasSize(replicas)
            .allMatch(c -> c.onRevision("new") && c.serving());
        return;
      }
      cloud.apply(plan, TARGET);
      assertThat(cloud.serving())
          .as("serving after step %d of %s with %d replicas", step, rollout, replicas)
          .isGreaterThanOrEqualTo(minServing);
      assertThat(cloud.cvms().size()).isLessThanOrEqualTo(replicas + rollout.maxSurge());
    }
    throw new AssertionError("rollout did not converge: " + rollout + " replicas " + replicas);
  }
}
