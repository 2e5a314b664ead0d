package cloud.phala.operator.app.plan;

import static java.lang.Integer.MAX_VALUE;
import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.plan.Action.AddReplica;
import cloud.phala.operator.app.plan.Action.CreateApp;
import cloud.phala.operator.app.plan.Action.Remove;
import cloud.phala.operator.app.plan.Action.Update;
import cloud.phala.operator.crd.Rollout;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutPlannerTest {
  private static final String NEW = "rev-new";
  private static final String OLD = "rev-old";
  private static final Target TARGET = new Target(NEW, "compose");
  private static final RolloutSettings ONE_AT_A_TIME = new RolloutSettings(false, 1, 0);

  /**
   * {@code "a:running:old"}, {@code "b:starting*:new"} (* = in progress); {@code
   * "c:running:old:keys"}: on another compose or key set than the target's, so a replica copied
   * from it would not run the target.
   */
  private static List<ObservedCvm> cvms(String... specs) {
    List<ObservedCvm> out = new ArrayList<>();
    for (String spec : specs) {
      String[] p = spec.split(":");
      boolean busy = p[1].endsWith("*");
      String compose = p.length > 3 ? "other-" + p[3] : TARGET.composeRevision();
      out.add(
          new ObservedCvm(
              p[0], p[1].replace("*", ""), busy, "new".equals(p[2]) ? NEW : OLD, compose, null));
    }
    return out;
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "no app yet: create it", false, 3, ONE_AT_A_TIME, cvms(), List.of(new CreateApp())),
        Arguments.of(
            "scale up: add the missing replicas",
            true,
            3,
            ONE_AT_A_TIME,
            cvms("a:running:new"),
            List.of(new AddReplica(), new AddReplica())),
        Arguments.of(
            "scale down: not serving (free), then outdated, go first",
            true,
            1,
            ONE_AT_A_TIME,
            cvms("a:running:new", "b:running:old", "c:error:new"),
            List.of(new Remove("c"), new Remove("b"))),
        Arguments.of(
            "rolling: one at a time when all serve",
            true,
            3,
            ONE_AT_A_TIME,
            cvms("a:running:old", "b:running:old", "c:running:old"),
            List.of(new Update("a"))),
        Arguments.of(
            "rolling: nothing while one is already down",
            true,
            3,
            ONE_AT_A_TIME,
            cvms("a:starting*:new", "b:running:old", "c:running:old"),
            List.of()),
        Arguments.of(
            "rolling: two at a time with maxUnavailable 2",
            true,
            3,
            new RolloutSettings(false, 2, 0),
            cvms("a:running:old", "b:running:old", "c:running:old"),
            List.of(new Update("a"), new Update("b"))),
        Arguments.of(
            "rolling: an outdated CVM that is already down is updated without using the budget",
            true,
            3,
            ONE_AT_A_TIME,
            cvms("a:error:old", "b:running:old", "c:running:old"),
            List.of(new Update("a"))),
        Arguments.of(
            "rolling: busy CVMs are never touched",
            true,
            2,
            new RolloutSettings(false, 2, 0),
            cvms("a:shutting_down*:old", "b:running:old"),
            List.of(new Update("b"))),
        Arguments.of(
            "recreate: every outdated CVM at once",
            true,
            3,
            new RolloutSettings(true, 1, 0),
            cvms("a:running:old", "b:running:old", "c:running:new"),
            List.of(new Update("a"), new Update("b"))),
        Arguments.of(
            "surge: add a new CVM first",
            true,
            3,
            new RolloutSettings(false, 0, 1),
            cvms("a:running:old", "b:running:old", "c:running:old"),
            List.of(new AddReplica())),
        Arguments.of(
            "surge: wait while the new one boots",
            true,
            3,
            new RolloutSettings(false, 0, 1),
            cvms("a:running:old", "b:running:old", "c:running:old", "d:starting*:new"),
            List.of()),
        Arguments.of(
            "surge: once it serves, remove an old one and add the next",
            true,
            3,
            new RolloutSettings(false, 0, 1),
            cvms("a:running:old", "b:running:old", "c:running:old", "d:running:new"),
            List.of(new Remove("a"), new AddReplica())),
        Arguments.of(
            "surge: the last old one goes when the new ones serve",
            true,
            3,
            new RolloutSettings(false, 0, 1),
            cvms("c:running:old", "d:running:new", "e:running:new", "f:running:new"),
            List.of(new Remove("c"))),
        Arguments.of(
            "surge, key set changed: no CVM to copy the target from, so a surge replica first",
            true,
            3,
            new RolloutSettings(false, 0, 1),
            cvms("a:running:old:keys", "b:running:old:keys", "c:running:old:keys"),
            List.of(new AddReplica())),
        Arguments.of(
            "surge, key set changed: once the surge replica serves, one CVM restarts in place",
            true,
            3,
            new RolloutSettings(false, 0, 1),
            cvms(
                "a:running:old:keys",
                "b:running:old:keys",
                "c:running:old:keys",
                "d:running:old:keys"),
            List.of(new Update("a"))),
        Arguments.of(
            "surge, key set changed: nothing more while that CVM boots the target",
            true,
            3,
            new RolloutSettings(false, 0, 1),
            cvms(
                "a:starting*:new",
                "b:running:old:keys",
                "c:running:old:keys",
                "d:running:old:keys"),
            List.of()),
        Arguments.of(
            "surge, key set changed: then replicas are copied from it",
            true,
            3,
            new RolloutSettings(false, 0, 1),
            cvms("a:running:new", "b:running:old:keys", "c:running:old:keys", "d:running:old:keys"),
            List.of(new Remove("b"), new AddReplica())),
        Arguments.of(
            "scale down while rolling: removals and restarts share one availability budget",
            true,
            2,
            ONE_AT_A_TIME,
            cvms("a:running:old", "b:running:old", "c:running:old"),
            List.of(new Remove("a"), new Update("b"))),
        Arguments.of(
            "scale down: a CVM with an operation in progress is never removed",
            true,
            1,
            new RolloutSettings(false, 0, 1),
            cvms("a:starting*:new", "b:running:new"),
            List.of()),
        Arguments.of(
            "converged: nothing to do",
            true,
            2,
            ONE_AT_A_TIME,
            cvms("a:running:new", "b:running:new"),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(
      String name,
      boolean appExists,
      int replicas,
      RolloutSettings rollout,
      List<ObservedCvm> cvms,
      List<Action> expected) {
    assertThat(RolloutPlanner.plan(appExists, replicas, TARGET, rollout, cvms).actions())
        .isEqualTo(expected);
  }

  @Test
  void aPausedRollout_neitherUpdatesNorScales_andIsNotConverging() {
    RolloutSettings paused = new RolloutSettings(false, 1, 1, true, Duration.ofMinutes(10), false);

    Plan plan =
        RolloutPlanner.plan(true, 3, TARGET, paused, cvms("a:running:old", "b:running:old"));

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.converging()).isFalse();
  }

  @Test
  void pausedComesFromTheSpec() {
    Rollout rollout = new Rollout();
    rollout.paused = true;

    assertThat(RolloutSettings.from(rollout, 2).paused()).isTrue();
    assertThat(RolloutSettings.from(new Rollout(), 2).paused()).isFalse();
  }

  @Test
  void aConvergedApp_isNotConverging_aRollingOneIs() {
    assertThat(
            RolloutPlanner.plan(true, 1, TARGET, ONE_AT_A_TIME, cvms("a:running:new")).converging())
        .isFalse();
    assertThat(
            RolloutPlanner.plan(true, 1, TARGET, ONE_AT_A_TIME, cvms("a:starting*:new"))
                .converging())
        .isTrue();
  }

  @Test
  void rollout_neverTakesMoreThanMaxUnavailableDown_simulatedToTheEnd() {
    for (int replicas = 1; replicas <= 6; replicas++) {
      for (int maxUnavailable = 1; maxUnavailable <= 3; maxUnavailable++) {
        for (int maxSurge = 0; maxSurge <= 2; maxSurge++) {
          RolloutSimulation.run(replicas, new RolloutSettings(false, maxUnavailable, maxSurge));
        }
      }
    }
  }

  @Test
  void aMaxSurgeAsLargeAsAnInt_addsEveryMissingNewReplica_likeASurgeOfAllReplicas() {
    List<ObservedCvm> twoOld = cvms("a:running:old", "b:running:old");

    Plan huge =
        RolloutPlanner.plan(true, 3, TARGET, new RolloutSettings(false, 1, MAX_VALUE), twoOld);
    Plan all = RolloutPlanner.plan(true, 3, TARGET, new RolloutSettings(false, 1, 3), twoOld);

    assertThat(huge.actions())
        .containsExactly(new AddReplica(), new AddReplica(), new AddReplica())
        .isEqualTo(all.actions());
  }

  @Test
  void percentages_roundAsDeploymentsDo() {
    Rollout rollout = new Rollout();
    rollout.maxUnavailable = new IntOrString("25%");
    rollout.maxSurge = new IntOrString("25%");

    assertThat(RolloutSettings.from(rollout, 10)).isEqualTo(new RolloutSettings(false, 2, 3));
    assertThat(RolloutSettings.from(rollout, 1)).isEqualTo(new RolloutSettings(false, 0, 1));
    rollout.maxSurge = new IntOrString("0%");
    assertThat(RolloutSettings.from(rollout, 1)).isEqualTo(new RolloutSettings(false, 1, 0));
    assertThat(RolloutSettings.from(null, 3)).isEqualTo(new RolloutSettings(false, 1, 0));
  }
}
