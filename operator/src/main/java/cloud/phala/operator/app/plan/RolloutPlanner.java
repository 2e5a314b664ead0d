package cloud.phala.operator.app.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides the next steps from the desired replicas and target and the CVMs as observed. Pure and
 * level-triggered: it looks only at the present, so running it again after a crash continues where
 * the last pass stopped. A CVM with an operation in progress is never touched.
 *
 * <p>RollingUpdate keeps two floors after its steps, whether it updates, scales or both: at least
 * {@code min(available now, replicas - maxUnavailable)} CVMs available (serving for {@code
 * minReadySeconds}), and at least {@code min(serving now, replicas - maxUnavailable)} serving.
 * Every step that takes a serving CVM down (a restart or a removal) draws on the serving budget,
 * and one that takes an available CVM down on the availability budget too. A CVM that serves but
 * has not served that long yet holds the next step back: it is taken only while the availability
 * budget allows. One that serves but is rejected (it will never count as available, e.g. it failed
 * attestation) is taken within the serving budget alone, so it does not wait for an availability it
 * cannot give back (a rollback moves it off the failed revision). It never grows the app beyond
 * {@code replicas + maxSurge}. With {@code maxSurge > 0} it replaces instead of restarting: it adds
 * a CVM on the target revision, and removes an old one only once enough CVMs serve. A new replica
 * boots its source's compose and key set, so when no CVM has the target's yet (the compose or the
 * key set changed), one CVM is first restarted in place, within the budget (after a surge replica
 * made room for it). Recreate updates every outdated CVM at once. A paused rollout changes nothing.
 */
public final class RolloutPlanner {
  private RolloutPlanner() {}

  public static Plan plan(
      boolean appExists,
      int replicas,
      Target target,
      RolloutSettings rollout,
      List<ObservedCvm> cvms) {
    if (!appExists) {
      return new Plan(replicas > 0 ? List.of(new Action.CreateApp()) : List.of(), replicas > 0);
    }
    if (rollout.paused()) {
      return new Plan(List.of(), false);
    }
    Steps steps = new Steps(cvms, replicas, rollout);
    if (rollout.recreate()) {
      recreate(steps, target);
    } else if (rollout.maxSurge() > 0 && steps.anyOutdated(target)) {
      // in long: maxSurge can be as large as Integer.MAX_VALUE
      surge(steps, target, (int) Math.min(Integer.MAX_VALUE, (long) replicas + rollout.maxSurge()));
    } else {
      rolling(steps, target);
    }
    boolean converging =
        !steps.actions.isEmpty()
            || cvms.size() != replicas
            || steps.anyStale(target)
            || cvms.stream().anyMatch(c -> c.busy() || (c.serving() && !c.available()));
    return new Plan(List.copyOf(steps.actions), converging);
  }

  /**
   * Scales to {@code replicas}, then restarts stale CVMs (outdated or due a restart) as far as
   * availability allows. A restart that availability does not allow (maxUnavailable 0) is made
   * possible by one surge replica: the next pass restarts in its place or removes a stale CVM.
   */
  private static void rolling(Steps steps, Target target) {
    steps.removeExcess(target);
    for (ObservedCvm cvm : steps.staleUntouched(target)) {
      steps.update(cvm);
    }
    steps.addUpTo(steps.replicas);
    boolean blocked = steps.actions.isEmpty() && !steps.staleUntouched(target).isEmpty();
    if (blocked
        && steps.all.stream().noneMatch(c -> c.busy() || (c.serving() && !c.available()))
        && steps.total < (long) steps.replicas + steps.maxSurge) {
      steps.add();
    }
  }

  /** Every outdated CVM at once, with downtime; scaling ignores availability too. */
  private static void recreate(Steps steps, Target target) {
    steps.budget = Integer.MAX_VALUE;
    steps.servingBudget = Integer.MAX_VALUE;
    steps.removeExcess(target);
    steps.staleUntouched(target).forEach(steps::update);
    steps.addUpTo(steps.replicas);
  }

  /**
   * Replaces outdated CVMs: removes them while there are more than {@code replicas} and enough
   * still serve, and adds CVMs copied from one on the target's compose until {@code replicas} run
   * the target, never more than {@code maxTotal} CVMs in all. With no such CVM to copy yet, makes
   * one.
   */
  private static void surge(Steps steps, Target target, int maxTotal) {
    boolean templateServing =
        steps.all.stream().anyMatch(c -> c.serving() && c.templateFor(target));
    if (!templateServing) {
      boolean templateBooting = steps.all.stream().anyMatch(c -> c.busy() && c.templateFor(target));
      if (templateBooting) {
        return;
      }
      boolean restarted =
          steps.outdatedUntouched(target).stream()
              .sorted(Comparator.comparing(ObservedCvm::serving))
              .anyMatch(steps::update);
      if (!restarted) {
        // a replica now (copied from an old CVM) leaves room to restart one in place next time
        steps.addUpTo(Math.min(maxTotal, Math.max(steps.replicas, steps.total + 1)));
      }
      return;
    }
    steps.removeExcess(target);
    long current = steps.untouched().stream().filter(c -> c.onRevision(target.revision())).count();
    long add = Math.min(steps.replicas - current, maxTotal - steps.total);
    for (long i = 0; i < add; i++) {
      steps.add();
    }
  }

  /**
   * The steps of one plan and what they leave: the availability and serving budgets (CVMs above
   * {@code replicas - maxUnavailable}) and the CVM count.
   */
  private static final class Steps {
    final List<ObservedCvm> all;
    final int replicas;
    final int maxSurge;
    final List<Action> actions = new ArrayList<>();
    final List<String> touched = new ArrayList<>();
    int budget;
    int servingBudget;
    int total;

    Steps(List<ObservedCvm> cvms, int replicas, RolloutSettings rollout) {
      this.all = cvms;
      this.replicas = replicas;
      this.maxSurge = rollout.maxSurge();
      int floor = Math.max(0, replicas - rollout.maxUnavailable());
      this.budget = (int) cvms.stream().filter(ObservedCvm::available).count() - floor;
      this.servingBudget = (int) cvms.stream().filter(ObservedCvm::serving).count() - floor;
      this.total = cvms.size();
    }

    boolean anyOutdated(Target target) {
      return all.stream().anyMatch(c -> !c.onRevision(target.revision()));
    }

    boolean anyStale(Target target) {
      return all.stream().anyMatch(c -> c.stale(target));
    }

    List<ObservedCvm> staleUntouched(Target target) {
      return untouched().stream().filter(c -> c.stale(target)).toList();
    }

    List<ObservedCvm> untouched() {
      return all.stream().filter(c -> !touched.contains(c.vmUuid())).toList();
    }

    List<ObservedCvm> outdatedUntouched(Target target) {
      return untouched().stream().filter(c -> !c.onRevision(target.revision())).toList();
    }

    /**
     * Removes CVMs while there are more than {@code replicas}: ones not serving first (free), then
     * outdated before current.
     */
    void removeExcess(Target target) {
      List<ObservedCvm> candidates =
          untouched().stream()
              .sorted(
                  Comparator.comparing(ObservedCvm::serving).thenComparing(c -> !c.stale(target)))
              .toList();
      for (ObservedCvm cvm : candidates) {
        if (total <= replicas) {
          return;
        }
        if (take(cvm)) {
          actions.add(new Action.Remove(cvm.vmUuid()));
          total--;
        }
      }
    }

    /** Restarts {@code cvm} on the target if it is idle and availability allows. */
    boolean update(ObservedCvm cvm) {
      if (!take(cvm)) {
        return false;
      }
      actions.add(new Action.Update(cvm.vmUuid()));
      return true;
    }

    void addUpTo(int count) {
      while (total < count) {
        add();
      }
    }

    void add() {
      actions.add(new Action.AddReplica());
      total++;
    }

    /**
     * Claims an idle CVM for one step. A serving one draws on the serving budget; an available one
     * on the availability budget too, and one still warming up is taken only while that budget
     * allows (it is not counted in it). A rejected one needs the serving budget alone.
     */
    private boolean take(ObservedCvm cvm) {
      if (cvm.busy() || !affordable(cvm)) {
        return false;
      }
      if (cvm.serving()) {
        servingBudget--;
      }
      if (cvm.available()) {
        budget--;
      }
      touched.add(cvm.vmUuid());
      return true;
    }

    private boolean affordable(ObservedCvm cvm) {
      if (!cvm.serving()) {
        return true;
      }
      return servingBudget > 0 && (cvm.servingRejected() || budget > 0);
    }
  }
}
