package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.app.plan.Action;
import cloud.phala.operator.app.sync.PassHook.Point;
import cloud.phala.operator.crd.EnvVarSource;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Rollout;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.hooks.FaultRule;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The operator dies at each moment of a pass that matters (the pass is frozen there, then the
 * operator is stopped and a fresh one started). Every rotation still converges, no CVM is restarted
 * or created twice for one revision, and availability never drops below the floor.
 */
@KubeApiTest
class CrashPointIT {
  private static final Duration BOOT = Duration.ofMillis(1500);
  private static OperatorFixture fixture;

  @BeforeAll
  static void start(KubernetesClient client, TestNamespace ns) {
    fixture = OperatorFixture.start(client, ns.name(), BOOT);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @ParameterizedTest
  @EnumSource(Point.class)
  void aCrashDuringARollingUpdate_restartsEveryCvmOnce_andKeepsTwoOfThreeServing(
      Point point, KubernetesClient client, TestNamespace ns) throws Exception {
    String name = "in-place-" + point.name().toLowerCase().replace('_', '-');
    Apps apps = new Apps(client, ns.name());
    PhalaAppStatus ready = deploy(apps, name, spec -> {});

    fixture.hook.arm(point, step -> step == null || step instanceof Action.Update, r -> true);
    apps.secret(name + "-api", Map.of("token", "rotated"));
    crashWhenHit();

    PhalaAppStatus done = awaitRotated(apps, name, ready);
    assertEveryCvmBooted(done, 2, "rotated");
    assertFloor(done, 2);
  }

  /**
   * Once Phala Cloud accepted an env update, status keeps showing the step as an intent until the
   * next write (the operator holds the settled status in memory, see RotationWritesIT): a crash
   * then loses it, and a fresh operator settles the intent from Phala Cloud's answer instead.
   */
  @Test
  void aCrashWhileAnAcceptedStepIsHeldOnlyInMemory_restartsEveryCvmOnce(
      KubernetesClient client, TestNamespace ns) throws Exception {
    Apps apps = new Apps(client, ns.name());
    PhalaAppStatus ready = deploy(apps, "held", spec -> {});

    apps.secret("held-api", Map.of("token", "rotated"));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> acceptedButShownAsIntent(apps.get("held").getStatus()));
    fixture.hook.arm(Point.OBSERVED, step -> true, r -> true);
    crashWhenHit();

    PhalaAppStatus done = awaitRotated(apps, "held", ready);
    assertEveryCvmBooted(done, 2, "rotated");
    assertFloor(done, 2);
  }

  /**
   * Two CVMs restarted in one pass share one intent write: the operator dies after the first was
   * sent, with the second's intent on disk and its step not sent, or after both were sent.
   */
  @ParameterizedTest
  @EnumSource(
      value = Point.class,
      names = {"INTENT_WRITTEN", "STEP_ACCEPTED"})
  void aCrashBetweenTwoRestartsWrittenInOneIntent_restartsEveryCvmOnce(
      Point point, KubernetesClient client, TestNamespace ns) throws Exception {
    String name = "pair-" + point.name().toLowerCase().replace('_', '-');
    Apps apps = new Apps(client, ns.name());
    PhalaAppStatus ready =
        deploy(
            apps,
            name,
            spec -> {
              spec.rollout = new Rollout();
              spec.rollout.maxUnavailable = new IntOrString(2);
            });
    java.util.concurrent.atomic.AtomicInteger updates =
        new java.util.concurrent.atomic.AtomicInteger();
    fixture.hook.arm(
        point, step -> step instanceof Action.Update && updates.incrementAndGet() == 2, r -> true);

    apps.secret(name + "-api", Map.of("token", "rotated"));
    crashWhenHit();

    PhalaAppStatus done = awaitRotated(apps, name, ready);
    assertEveryCvmBooted(done, 2, "rotated");
    assertFloor(done, 1);
  }

  /** Status shows a CVM's step as an intent, and the CVM is already restarting with it. */
  private static boolean acceptedButShownAsIntent(PhalaAppStatus status) {
    return status != null
        && status.cvms != null
        && status.cvms.stream()
            .anyMatch(c -> c.intent != null && fixture.simulator.world().get(c.cvmId).inProgress());
  }

  @Test
  void aLostAnswerToTheEnvUpdate_thenACrash_doesNotRestartTheCvmAgain(
      KubernetesClient client, TestNamespace ns) throws Exception {
    Apps apps = new Apps(client, ns.name());
    PhalaAppStatus ready = deploy(apps, "lost-answer", spec -> {});
    fixture
        .simulator
        .faults()
        .add(
            new FaultRule(
                null,
                FaultRule.Kind.LOSE_RESPONSE,
                "PATCH",
                Pattern.compile(".*/envs"),
                null,
                1.0,
                1,
                0,
                Duration.ZERO));

    apps.secret("lost-answer-api", Map.of("token", "rotated"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fixture.simulator.faults().rules().isEmpty());
    fixture.restartOperator();

    PhalaAppStatus done = awaitRotated(apps, "lost-answer", ready);
    assertEveryCvmBooted(done, 2, "rotated");
    assertFloor(done, 2);
  }

  @ParameterizedTest
  @EnumSource(
      value = Point.class,
      names = {"INTENT_WRITTEN", "STEP_ACCEPTED"})
  void aCrashWhileASurgeReplicaIsCreated_createsNoExtraReplica(
      Point point, KubernetesClient client, TestNamespace ns) throws Exception {
    String name = "surge-add-" + point.name().toLowerCase().replace('_', '-');
    assertSurgeSurvivesCrash(client, ns, name, point, step -> step instanceof Action.AddReplica);
  }

  @Test
  void aCrashBetweenDeletingAnOldReplicaAndRecordingIt_convergesWithNothingLeftOver(
      KubernetesClient client, TestNamespace ns) throws Exception {
    assertSurgeSurvivesCrash(
        client, ns, "surge-remove", Point.STEP_ACCEPTED, step -> step instanceof Action.Remove);
  }

  @Test
  void aCrashDuringARollback_finishesTheRollback_restoringTheFailedCvmOnce(
      KubernetesClient client, TestNamespace ns) throws Exception {
    Apps apps = new Apps(client, ns.name());
    PhalaAppStatus ready =
        deploy(
            apps,
            "rollback-crash",
            spec -> {
              spec.rollout = new Rollout();
              spec.rollout.onFailure = Rollout.OnFailure.Rollback;
            });
    apps.awaitStatus("rollback-crash", s -> s.rollout != null && s.rollout.rollbackRecord != null);
    fixture
        .simulator
        .faults()
        .add(
            new FaultRule(
                null, FaultRule.Kind.BOOT_FAIL, null, null, null, 1.0, 1, 0, Duration.ZERO));
    // the rollback's step gives the failed CVM the revision it ran before
    fixture.hook.arm(
        Point.INTENT_WRITTEN,
        step -> step instanceof Action.Update,
        revision -> revision.equals(ready.envRevision));

    apps.secret("rollback-crash-api", Map.of("token", "broken"));
    crashWhenHit();

    PhalaAppStatus rolledBack =
        apps.awaitStatus(
            "rollback-crash",
            s ->
                s.rollout != null
                    && "RolledBack".equals(s.rollout.action)
                    && Apps.condition(s, "Progressing", "False"));
    List<CvmSnapshot> cvms = fixture.simulator.world().listApp(ready.appId);
    assertThat(cvms).hasSize(3).allMatch(c -> "running".equals(c.status()));
    assertThat(cvms)
        .as("boots: the failed CVM booted, failed, was rolled back once; the others never moved")
        .extracting(CvmSnapshot::boots)
        .containsExactlyInAnyOrder(3, 1, 1);
    for (CvmSnapshot cvm : cvms) {
      assertThat(Apps.booted(fixture.simulator, cvm.vmUuid().toString()))
          .containsEntry("API_TOKEN", "first");
    }
    assertFloor(rolledBack, 2);
  }

  private void assertSurgeSurvivesCrash(
      KubernetesClient client, TestNamespace ns, String name, Point point, Predicate<Action> step)
      throws Exception {
    Apps apps = new Apps(client, ns.name());
    PhalaAppStatus ready =
        deploy(
            apps,
            name,
            spec -> {
              spec.rollout = new Rollout();
              spec.rollout.maxUnavailable = new IntOrString(0);
              spec.rollout.maxSurge = new IntOrString(1);
            });
    fixture.simulator.requestLog().clear();
    fixture.hook.arm(point, step, r -> true);

    apps.secret(name + "-api", Map.of("token", "rotated"));
    crashWhenHit();

    PhalaAppStatus done = awaitRotated(apps, name, ready);
    List<CvmSnapshot> cvms = fixture.simulator.world().listApp(done.appId);
    assertThat(cvms).as("no replica left over").hasSize(3);
    assertThat(cvms).extracting(CvmSnapshot::boots).containsOnly(1);
    assertThat(
            fixture.simulator.requestLog().entries().stream()
                .filter(e -> e.method().equals("POST") && e.path().endsWith("/replicas")))
        .as("one replica requested per replaced CVM, each from a CVM that still exists")
        .hasSize(3);
    for (CvmSnapshot cvm : cvms) {
      assertThat(Apps.booted(fixture.simulator, cvm.vmUuid().toString()))
          .containsEntry("API_TOKEN", "rotated");
    }
    assertFloor(done, 3);
  }

  private static PhalaAppStatus deploy(
      Apps apps,
      String name,
      java.util.function.Consumer<cloud.phala.operator.crd.PhalaAppSpec> customize) {
    apps.secret(name + "-db", Map.of("url", "postgres://" + name));
    apps.secret(name + "-api", Map.of("token", "first"));
    apps.create(
        name,
        3,
        spec -> {
          spec.env =
              List.<EnvVarSource>of(
                  Apps.fromSecret("DATABASE_URL", name + "-db", "url"),
                  Apps.fromSecret("API_TOKEN", name + "-api", "token"));
          customize.accept(spec);
        });
    return apps.awaitStatus(name, s -> Apps.upToDate(s, 3) && Apps.condition(s, "Ready", "True"));
  }

  private static void crashWhenHit() throws InterruptedException {
    fixture.hook.awaitHit(Duration.ofSeconds(30));
    fixture.crashAndRestart();
  }

  private static PhalaAppStatus awaitRotated(Apps apps, String name, PhalaAppStatus before) {
    return apps.awaitStatus(
        name,
        s ->
            !before.envRevision.equals(s.envRevision)
                && Apps.upToDate(s, 3)
                && Apps.condition(s, "Progressing", "False")
                && s.cvms.stream().allMatch(c -> c.intent == null));
  }

  private static void assertEveryCvmBooted(PhalaAppStatus status, int boots, String token) {
    List<CvmSnapshot> cvms = fixture.simulator.world().listApp(status.appId);
    assertThat(cvms).hasSize(3);
    for (CvmSnapshot cvm : cvms) {
      assertThat(cvm.boots())
          .as("boots of %s: the first and the rotation", cvm.name())
          .isEqualTo(boots);
      assertThat(Apps.booted(fixture.simulator, cvm.vmUuid().toString()))
          .containsEntry("API_TOKEN", token);
    }
  }

  private static void assertFloor(PhalaAppStatus status, int floor) {
    assertThat(Apps.minServingOnceAllServed(fixture.simulator.world().timeline(status.appId), 3))
        .as("serving CVMs at any moment after all 3 first served")
        .isGreaterThanOrEqualTo(floor);
  }
}
