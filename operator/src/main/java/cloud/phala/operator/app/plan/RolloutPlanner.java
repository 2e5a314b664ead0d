package cloud.phala.operator.app.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides the next steps from the desired replicas and revision and the CVMs as observed. Pure and
 * level-triggered: it looks only at the present, so running it again after a crash continues where
 * the last pass stopped. A CVM with an operation in progress is never touched.
 *
 * <p>RollingUpdate keeps at least {@code replicas - maxUnavailable} CVMs serving. With {@code
 * maxSurge > 0} it replaces instead of restarting: it adds a CVM on the new revision, and removes
 * an old one only once enough CVMs serve. Recreate updates every outdated CVM at once. A paused
 * rollout changes nothing.
 */
public final class RolloutPlanner {
  private RolloutPlanner() {}

  public static Plan plan(
      boolean appExists,
      int replicas,
      String revision,
      RolloutSettings rollout,
      List<ObservedCvm> cvms) {
    if (!appExists) {
      return new Plan(replicas > 0 ? List.of(new Action.CreateApp()) : List.of(), replicas > 0);
    }
    if (rollout.paused()) {
      return new Plan(List.of(), false);
    }
    List<Action> actions = new ArrayList<>();
    List<ObservedCvm> outdated = cvms.stream().filter(c -> !c.onRevision(revision)).toList();
    int serving = (int) cvms.stream().filter(ObservedCvm::serving).count();
    int minServing = Math.max(0, replicas - rollout.maxUnavailable());
    int count = cvms.size();

    if (outdated.isEmpty() || rollout.recreate() || rollout.maxSurge() == 0) {
      count = scale(replicas, revision, cvms, actions);
    }
    Set<String> removed =
        actions.stream()
            .filter(a -> a instanceof Action.Remove)
            .map(a -> ((Action.Remove) a).vmUuid())
            .collect(Collectors.toSet());
    List<ObservedCvm> kept = outdated.stream().filter(c -> !removed.contains(c.vmUuid())).toList();
    if (rollout.recreate()) {
      kept.stream().filter(c -> !c.busy()).forEach(c -> actions.add(new Action.Update(c.vmUuid())));
    } else if (rollout.maxSurge() > 0 && !outdated.isEmpty()) {
      surge(replicas, rollout, outdated, serving, minServing, count, actions);
    } else {
      updateInPlace(kept, serving, minServing, actions);
    }
    boolean converging =
        !actions.isEmpty()
            || cvms.size() != replicas
            || !outdated.isEmpty()
            || cvms.stream().anyMatch(ObservedCvm::busy);
    return new Plan(List.copyOf(actions), converging);
  }

  /**
   * Adds or removes CVMs to reach {@code replicas}; removes outdated, then unhealthy ones first.
   */
  private static int scale(
      int replicas, String revision, List<ObservedCvm> cvms, List<Action> actions) {
    int count = cvms.size();
    for (int i = count; i < replicas; i++) {
      actions.add(new Action.AddReplica());
    }
    if (count > replicas) {
      cvms.stream()
          .sorted(
              Comparator.comparing((ObservedCvm c) -> c.onRevision(revision))
                  .thenComparing(ObservedCvm::serving))
          .limit(count - replicas)
          .forEach(c -> actions.add(new Action.Remove(c.vmUuid())));
    }
    return Math.max(count, replicas);
  }

  /** Restarts outdated CVMs as far as availability allows; ones already down go first, for free. */
  private static void updateInPlace(
      List<ObservedCvm> outdated, int serving, int minServing, List<Action> actions) {
    int budget = serving - minServing;
    for (ObservedCvm cvm : outdated) {
      if (cvm.busy()) {
        continue;
      }
      if (!cvm.serving()) {
        actions.add(new Action.Update(cvm.vmUuid()));
      } else if (budget > 0) {
        actions.add(new Action.Update(cvm.vmUuid()));
        budget--;
      }
    }
  }

  /**
   * Removes outdated CVMs while there are more than {@code replicas} and enough still serve, then
   * adds CVMs on the new revision until there are {@code replicas} of them, never more than {@code
   * replicas + maxSurge} CVMs in all.
   */
  private static void surge(
      int replicas,
      RolloutSettings rollout,
      List<ObservedCvm> outdated,
      int serving,
      int minServing,
      int count,
      List<Action> actions) {
    int current = count - outdated.size();
    List<ObservedCvm> removable =
        outdated.stream()
            .filter(c -> !c.busy())
            .sorted(Comparator.comparing(ObservedCvm::serving))
            .toList();
    for (ObservedCvm cvm : removable) {
      if (count <= replicas) {
        break;
      }
      int servingAfter = serving - (cvm.serving() ? 1 : 0);
      if (servingAfter >= minServing) {
        actions.add(new Action.Remove(cvm.vmUuid()));
        serving = servingAfter;
        count--;
      }
    }
    int add = Math.min(replicas - current, replicas + rollout.maxSurge() - count);
    for (int i = 0; i < add; i++) {
      actions.add(new Action.AddReplica());
    }
  }
}
