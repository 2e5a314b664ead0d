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
  private RolloutSimulation() {}

  static void run(int replicas, RolloutSettings rollout) {
    List<ObservedCvm> cvms = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      cvms.add(new ObservedCvm("old-" + i, "running", false, "old"));
    }
    int next = 0;
    int minServing = Math.max(0, replicas - rollout.maxUnavailable());
    for (int step = 0; step < 100; step++) {
      // finish what was in progress
      cvms.replaceAll(
          c -> c.busy() ? new ObservedCvm(c.vmUuid(), "running", false, c.revision()) : c);
      Plan plan = RolloutPlanner.plan(true, replicas, "new", rollout, List.copyOf(cvms));
      if (!plan.converging()) {
        assertThat(cvms).hasSize(replicas).allMatch(c -> c.onRevision("new") && c.serving());
        return;
      }
      for (Action action : plan.actions()) {
        if (action instanceof Action.Update u) {
          cvms.replaceAll(
              c ->
                  c.vmUuid().equals(u.vmUuid())
                      ? new ObservedCvm(c.vmUuid(), "shutting_down", true, "new")
                      : c);
        } else if (action instanceof Action.Remove r) {
          cvms.removeIf(c -> c.vmUuid().equals(r.vmUuid()));
        } else if (action instanceof Action.AddReplica) {
          cvms.add(new ObservedCvm("new-" + next++, "starting", true, "new"));
        }
      }
      long serving = cvms.stream().filter(ObservedCvm::serving).count();
      assertThat(serving)
          .as("serving after step %d of %s with %d replicas", step, rollout, replicas)
          .isGreaterThanOrEqualTo(minServing);
      assertThat(cvms.size()).isLessThanOrEqualTo(replicas + rollout.maxSurge());
    }
    throw new AssertionError("rollout did not converge: " + rollout + " replicas " + replicas);
  }
}
