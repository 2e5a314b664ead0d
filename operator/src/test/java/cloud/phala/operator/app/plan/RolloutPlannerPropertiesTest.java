package cloud.phala.operator.app.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The planner's promises over generated states, not hand-picked ones: any replica count against any
 * mix of CVMs (on the target, on older revisions, on another compose or key set, unknown to the
 * operator; serving, booting, stopping, failed, stopped), any rollout limits. Each state comes from
 * a seed that the failure message names, so a failure can be replayed.
 */
class RolloutPlannerPropertiesTest {
  private static final Target TARGET = new Target("new", "compose");
  private static final int STATES = 10_000;
  private static final String[] REVISIONS = {"new", "old", "older", null};
  private static final String[] IDLE = {"running", "running", "running", "error", "stopped"};
  private static final String[] BUSY = {"starting", "shutting_down", "restarting", "running"};

  @Test
  void everyPlan_keepsTheFloor_neverGrowsPastTheSurge_andLeavesBusyCvmsAlone() {
    for (int seed = 0; seed < STATES; seed++) {
      Case c = Case.generate(new Random(seed), false);
      Plan plan = RolloutPlanner.plan(true, c.replicas, TARGET, c.rollout, c.cvms);
      checkStep(c, c.cvms, plan, "seed " + seed + ": " + c);
    }
  }

  @Test
  void planningAgainOnWhatThePlanLeaves_convergesOnTheTarget_keepingEveryPromiseOnTheWay() {
    for (int seed = 0; seed < STATES; seed++) {
      Case c = Case.generate(new Random(seed), true);
      ToyCloud cloud = new ToyCloud(c.cvms);
      boolean converged = false;
      for (int step = 0; step < 60 && !converged; step++) {
        List<ObservedCvm> before = cloud.cvms();
        Plan plan = RolloutPlanner.plan(true, c.replicas, TARGET, c.rollout, before);
        checkStep(c, before, plan, "seed " + seed + " step " + step + ": " + c);
        converged = !plan.converging();
        cloud.apply(plan, TARGET);
        cloud.finishOperations();
      }
      assertThat(converged).as("seed %d converges: %s", seed, c).isTrue();
      assertThat(cloud.cvms())
          .as("seed %d ends with every replica serving the target: %s", seed, c)
          .hasSize(c.replicas)
          .allMatch(cvm -> cvm.onRevision(TARGET.revision()) && cvm.serving());
    }
  }

  @Test
  void withCvmsWarmingUp_everyPlan_keepsTheFloorOfAvailableOnes() {
    for (int seed = 0; seed < STATES; seed++) {
      Case c = Case.generate(new Random(seed), false);
      Random warm = new Random(seed ^ 0x5EEDL);
      List<ObservedCvm> cvms =
          c.cvms.stream()
              .map(
                  x ->
                      new ObservedCvm(
                          x.vmUuid(),
                          x.status(),
                          x.inProgress(),
                          x.revision(),
                          x.composeRevision(),
                          x.givenAt(),
                          x.serving() && warm.nextInt(3) == 0))
              .toList();
      Plan plan = RolloutPlanner.plan(true, c.replicas, TARGET, c.rollout, cvms);
      String where = "seed " + seed + ": " + c + " warming " + cvms;
      checkStep(c, cvms, plan, where);
      checkAvailability(c, cvms, plan, where);
    }
  }

  @Test
  void withCvmsWarmingUpOrRejected_everyPlan_keepsBothFloors() {
    for (int seed = 0; seed < STATES; seed++) {
      Case c = Case.generate(new Random(seed), false);
      Random tags = new Random(seed ^ 0xF100L);
      List<ObservedCvm> cvms = c.cvms.stream().map(x -> tagged(x, tags)).toList();
      Plan plan = RolloutPlanner.plan(true, c.replicas, TARGET, c.rollout, cvms);
      String where = "seed " + seed + ": " + c + " tagged " + cvms;
      checkStep(c, cvms, plan, where);
      checkAvailability(c, cvms, plan, where);
    }
  }

  @Test
  void withNoAvailabilityToSpare_warmingCvmsHoldStepsBack_andOnlyRejectedServingOnesAreTaken() {
    for (int seed = 0; seed < STATES; seed++) {
      Case c = Case.generate(new Random(seed), false);
      Random tags = new Random(seed ^ 0xF100L);
      List<ObservedCvm> cvms = c.cvms.stream().map(x -> tagged(x, tags)).toList();
      long available = cvms.stream().filter(ObservedCvm::available).count();
      if (c.rollout.recreate() || available > c.replicas - c.rollout.maxUnavailable()) {
        continue;
      }
      Plan plan = RolloutPlanner.plan(true, c.replicas, TARGET, c.rollout, cvms);
      assertThat(taken(plan))
          .as("seed %d: no availability to spare, so only rejected or idle CVMs: %s", seed, plan)
          .allMatch(
              id ->
                  cvms.stream()
                      .filter(x -> x.vmUuid().equals(id))
                      .allMatch(x -> !x.serving() || x.rejected()));
    }
  }

  /**
   * A rollback (the target is the last good revision) whose only blocker is a CVM serving the
   * failed revision that failed attestation: every other replica serves the target, available.
   */
  @Test
  void aRollbackBlockedOnlyByRejectedCvms_movesThemBack_keepingBothFloorsOnTheWay() {
    for (int seed = 0; seed < STATES; seed++) {
      Random random = new Random(seed);
      int replicas = 1 + random.nextInt(6);
      int maxUnavailable = random.nextInt(4);
      int maxSurge = random.nextInt(3);
      if (maxUnavailable == 0 && maxSurge == 0) {
        maxUnavailable = 1;
      }
      RolloutSettings rollout = new RolloutSettings(false, maxUnavailable, maxSurge);
      int rejected = 1 + random.nextInt(replicas);
      List<ObservedCvm> cvms = new ArrayList<>();
      for (int i = 0; i < replicas; i++) {
        cvms.add(
            i < rejected
                ? new ObservedCvm(
                    "failed-" + i, "running", false, "failed", "compose", null, true, true)
                : new ObservedCvm("good-" + i, "running", false, "new", "compose", null));
      }
      Case c = new Case(replicas, rollout, List.copyOf(cvms));
      ToyCloud cloud = new ToyCloud(cvms);
      Plan first = RolloutPlanner.plan(true, replicas, TARGET, rollout, cloud.cvms());
      assertThat(
              taken(first).stream().anyMatch(id -> id.startsWith("failed-"))
                  || first.actions().stream().anyMatch(a -> a instanceof Action.AddReplica))
          .as("seed %d: the first plan moves a rejected CVM or adds one in its place: %s", seed, c)
          .isTrue();
      boolean converged = false;
      for (int step = 0; step < 30 && !converged; step++) {
        List<ObservedCvm> before = cloud.cvms();
        Plan plan = RolloutPlanner.plan(true, replicas, TARGET, rollout, before);
        String where = "seed " + seed + " step " + step + ": " + c;
        checkStep(c, before, plan, where);
        checkAvailability(c, before, plan, where);
        converged = !plan.converging();
        cloud.apply(plan, TARGET);
        cloud.finishOperations();
      }
      assertThat(converged).as("seed %d converges: %s", seed, c).isTrue();
      assertThat(cloud.cvms())
          .as("seed %d ends with every replica back on the target: %s", seed, c)
          .hasSize(replicas)
          .allMatch(cvm -> cvm.onRevision(TARGET.revision()) && cvm.available());
    }
  }

  @Test
  void theGenerator_reachesTheStatesThatBrokeThePromisesBefore() {
    int scaleDownWhileOutdated = 0;
    int keySetChangeUnderSurge = 0;
    for (int seed = 0; seed < STATES; seed++) {
      Case c = Case.generate(new Random(seed), false);
      boolean outdated = c.cvms.stream().anyMatch(cvm -> !cvm.onRevision(TARGET.revision()));
      if (outdated && c.cvms.size() > c.replicas && !c.rollout.recreate()) {
        scaleDownWhileOutdated++;
      }
      if (c.rollout.maxSurge() > 0 && c.cvms.stream().noneMatch(cvm -> cvm.templateFor(TARGET))) {
        keySetChangeUnderSurge++;
      }
    }
    assertThat(scaleDownWhileOutdated).isGreaterThan(STATES / 20);
    assertThat(keySetChangeUnderSurge).isGreaterThan(STATES / 20);
  }

  /** A serving CVM warming up (a third of them) or rejected (a quarter of the rest). */
  private static ObservedCvm tagged(ObservedCvm x, Random random) {
    boolean warming = x.serving() && random.nextInt(3) == 0;
    boolean rejected = x.serving() && !warming && random.nextInt(4) == 0;
    return new ObservedCvm(
        x.vmUuid(),
        x.status(),
        x.inProgress(),
        x.revision(),
        x.composeRevision(),
        x.givenAt(),
        warming || rejected,
        rejected);
  }

  /** The CVMs a plan restarts or removes. */
  private static Set<String> taken(Plan plan) {
    Set<String> taken = new HashSet<>();
    for (Action action : plan.actions()) {
      if (action instanceof Action.Update u) {
        taken.add(u.vmUuid());
      } else if (action instanceof Action.Remove r) {
        taken.add(r.vmUuid());
      }
    }
    return taken;
  }

  /** The availability floor: {@code min(available now, replicas - maxUnavailable)}. */
  private static void checkAvailability(Case c, List<ObservedCvm> before, Plan plan, String where) {
    Set<String> taken = taken(plan);
    long availableBefore = before.stream().filter(ObservedCvm::available).count();
    long availableAfter =
        before.stream().filter(x -> x.available() && !taken.contains(x.vmUuid())).count();
    if (!c.rollout.recreate()) {
      assertThat(availableAfter)
          .as("%s: available after the plan (%s)", where, plan)
          .isGreaterThanOrEqualTo(
              Math.min(availableBefore, c.replicas - c.rollout.maxUnavailable()));
    }
  }

  private static void checkStep(Case c, List<ObservedCvm> before, Plan plan, String where) {
    Set<String> touched = new HashSet<>();
    long servingTaken = 0;
    int removed = 0;
    int added = 0;
    for (Action action : plan.actions()) {
      String id =
          action instanceof Action.Update u
              ? u.vmUuid()
              : action instanceof Action.Remove r ? r.vmUuid() : null;
      if (action instanceof Action.Remove) {
        removed++;
      }
      if (action instanceof Action.AddReplica) {
        added++;
      }
      if (id == null) {
        continue;
      }
      ObservedCvm cvm = before.stream().filter(x -> x.vmUuid().equals(id)).findFirst().orElse(null);
      assertThat(cvm).as("%s: acts on a CVM that exists: %s", where, plan).isNotNull();
      assertThat(cvm.busy()).as("%s: touches busy CVM %s: %s", where, id, plan).isFalse();
      assertThat(touched.add(id)).as("%s: touches %s twice: %s", where, id, plan).isTrue();
      if (cvm.serving()) {
        servingTaken++;
      }
    }
    long servingBefore = before.stream().filter(ObservedCvm::serving).count();
    int total = before.size() - removed + added;
    if (!c.rollout.recreate()) {
      long floor = Math.min(servingBefore, c.replicas - c.rollout.maxUnavailable());
      assertThat(servingBefore - servingTaken)
          .as("%s: serving after the plan (%s)", where, plan)
          .isGreaterThanOrEqualTo(floor);
    }
    if (added > 0) {
      assertThat(total)
          .as("%s: CVMs after the plan (%s)", where, plan)
          .isLessThanOrEqualTo(c.replicas + c.rollout.maxSurge());
    }
  }

  /** One generated state: desired replicas, rollout limits, and the CVMs as observed. */
  private record Case(int replicas, RolloutSettings rollout, List<ObservedCvm> cvms) {

    /**
     * {@code converging}: a state a rollout can finish from (no CVM already failed on the target:
     * that is a failed rollout, which halts before the planner is asked).
     */
    static Case generate(Random random, boolean converging) {
      int replicas = random.nextInt(7);
      boolean recreate = random.nextInt(8) == 0;
      int maxUnavailable = random.nextInt(4);
      int maxSurge = random.nextInt(4);
      if (maxUnavailable == 0 && maxSurge == 0) {
        maxUnavailable = 1;
      }
      boolean keysChanged = random.nextBoolean();
      List<ObservedCvm> cvms = new ArrayList<>();
      // an app with no CVM left is deployed anew, not planned for
      int count = converging ? 1 + random.nextInt(8) : random.nextInt(9);
      for (int i = 0; i < count; i++) {
        String revision = REVISIONS[random.nextInt(REVISIONS.length)];
        boolean onTarget = TARGET.revision().equals(revision);
        boolean busy = random.nextInt(4) == 0;
        String status =
            busy ? BUSY[random.nextInt(BUSY.length)] : IDLE[random.nextInt(IDLE.length)];
        if (converging && onTarget && !busy) {
          status = "running";
        }
        String compose =
            onTarget || !keysChanged ? TARGET.composeRevision() : "compose-with-other-keys";
        cvms.add(new ObservedCvm("cvm-" + i, status, busy, revision, compose, null));
      }
      return new Case(
          replicas, new RolloutSettings(recreate, maxUnavailable, maxSurge), List.copyOf(cvms));
    }

    @Override
    public String toString() {
      return "replicas "
          + replicas
          + ", "
          + rollout
          + ", cvms "
          + cvms.stream()
              .map(
                  c ->
                      c.vmUuid()
                          + "="
                          + c.status()
                          + (c.busy() ? "*" : "")
                          + "/"
                          + c.revision()
                          + "/"
                          + c.composeRevision())
              .toList();
    }
  }
}
