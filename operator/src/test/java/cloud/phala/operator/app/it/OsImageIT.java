package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Rollout;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.hooks.FaultRule;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.osImage}: a change moves the CVMs to the image through the rolling engine, each
 * restarted onto it once with its env kept, never below the floor; an image Phala Cloud does not
 * list changes nothing; a CVM that fails to boot the image halts the rollout.
 */
@KubeApiTest
class OsImageIT {
  private static final String OLD = "dstack-0.5.4";
  private static final String NEW = "dstack-0.5.5";
  private static OperatorFixture fixture;

  @BeforeAll
  static void start(KubernetesClient client, TestNamespace ns) {
    fixture = OperatorFixture.start(client, ns.name(), Duration.ofMillis(400));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void anImageChange_restartsEachCvmOntoItOnce_keepingTheFloorAndTheEnv(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("img-api", Map.of("token", "img-1"));
    apps.create("imaged", 3, spec -> spec.env = env("img"));
    PhalaAppStatus ready = apps.awaitStatus("imaged", s -> Apps.upToDate(s, 3));
    List<CvmSnapshot> before = fixture.simulator.world().listApp(ready.appId);
    assertThat(before).allSatisfy(c -> assertThat(c.osImage().name()).isEqualTo(OLD));

    apps.edit("imaged", app -> app.getSpec().osImage = NEW);

    PhalaAppStatus upgraded =
        apps.awaitStatus(
            "imaged",
            s -> Apps.upToDate(s, 3) && s.envRevision != null && s.envRevision.endsWith(NEW));
    List<CvmSnapshot> after = fixture.simulator.world().listApp(upgraded.appId);
    assertThat(after)
        .hasSize(3)
        .allSatisfy(
            c -> {
              assertThat(c.osImage().name()).isEqualTo(NEW);
              assertThat(c.boots()).isEqualTo(2);
              assertThat(Apps.booted(fixture.simulator, c.vmUuid().toString()))
                  .containsEntry("API_TOKEN", "img-1");
            });
    assertThat(Apps.minServingOnceAllServed(fixture.simulator.world().timeline(ready.appId), 3))
        .isGreaterThanOrEqualTo(2);
    assertThat(client.v1().events().inNamespace(ns.name()).list().getItems())
        .filteredOn(e -> "OsImageUpdated".equals(e.getReason()))
        .isNotEmpty();
  }

  @Test
  void anImagePhalaCloudDoesNotList_changesNothing_andSaysWhy(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("unk-api", Map.of("token", "unk-1"));
    apps.create("unknown-image", 1, spec -> spec.env = env("unk"));
    PhalaAppStatus ready = apps.awaitStatus("unknown-image", s -> Apps.upToDate(s, 1));

    apps.edit("unknown-image", app -> app.getSpec().osImage = "dstack-9.9.9");

    PhalaAppStatus refused =
        apps.awaitStatus(
            "unknown-image",
            s -> Apps.condition(s, "Progressing", "False") && "Blocked".equals(s.phase));
    assertThat(condition(refused, "Progressing").getReason()).isEqualTo("OsImageUnavailable");
    assertThat(condition(refused, "Progressing").getMessage())
        .contains("OS image dstack-9.9.9 is not one the CVMs can move to");
    assertThat(fixture.simulator.world().listApp(ready.appId))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.boots()).isEqualTo(1);
              assertThat(c.osImage().name()).isEqualTo(OLD);
            });
    assertThat(client.v1().events().inNamespace(ns.name()).list().getItems())
        .anyMatch(
            e ->
                "OsImageUnavailable".equals(e.getReason())
                    && e.getInvolvedObject().getName().equals("unknown-image"));
  }

  @Test
  void aNewAppOnAnImageNoNodeOffers_deploysNothing_andSaysWhy(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("new-api", Map.of("token", "new-1"));
    apps.create(
        "new-unknown",
        1,
        spec -> {
          spec.env = env("new");
          spec.osImage = "dstack-9.9.9";
        });

    PhalaAppStatus refused =
        apps.awaitStatus(
            "new-unknown", s -> s.conditions != null && Apps.condition(s, "Progressing", "False"));
    assertThat(condition(refused, "Progressing").getReason()).isEqualTo("OsImageUnavailable");
    assertThat(condition(refused, "Progressing").getMessage())
        .contains("OS image dstack-9.9.9 is not one the nodes offer");
    assertThat(fixture.simulator.world().list()).noneMatch(c -> c.name().contains("new-unknown"));

    apps.edit("new-unknown", app -> app.getSpec().osImage = NEW);

    PhalaAppStatus ready = apps.awaitStatus("new-unknown", s -> Apps.upToDate(s, 1));
    assertThat(fixture.simulator.world().listApp(ready.appId))
        .singleElement()
        .satisfies(c -> assertThat(c.osImage().name()).isEqualTo(NEW));
  }

  @Test
  void aCvmThatFailsToBootTheImage_haltsTheRollout_andTheOthersKeepServing(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("bad-api", Map.of("token", "bad-1"));
    apps.create("bad-image", 3, spec -> spec.env = env("bad"));
    PhalaAppStatus ready = apps.awaitStatus("bad-image", s -> Apps.upToDate(s, 3));
    fixture
        .simulator
        .faults()
        .add(
            new FaultRule(
                null,
                FaultRule.Kind.BOOT_FAIL,
                null,
                null,
                null,
                1.0,
                null,
                0,
                Duration.ZERO,
                NEW));
    try {
      apps.edit("bad-image", app -> app.getSpec().osImage = NEW);

      PhalaAppStatus halted = apps.awaitStatus("bad-image", s -> "Halted".equals(s.phase));
      assertThat(halted.rollout.failedRevision).endsWith("@" + NEW);
      assertThat(condition(halted, "Degraded").getReason()).isEqualTo("RolloutHalted");
      await()
          .during(Duration.ofMillis(1500))
          .atMost(Duration.ofSeconds(10))
          .until(() -> apps.get("bad-image").getStatus(), s -> "Halted".equals(s.phase));
      List<CvmSnapshot> cvms = fixture.simulator.world().listApp(ready.appId);
      assertThat(cvms).filteredOn(c -> "error".equals(c.status())).hasSize(1);
      assertThat(cvms)
          .filteredOn(c -> "running".equals(c.status()))
          .hasSize(2)
          .allSatisfy(c -> assertThat(c.osImage().name()).isEqualTo(OLD));
    } finally {
      fixture.simulator.faults().clear();
    }
  }

  @Test
  void withRollback_aCvmThatFailsToBootTheImage_isMovedBackToTheLastGoodImage(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("back-api", Map.of("token", "back-1"));
    apps.create(
        "back-image",
        3,
        spec -> {
          spec.env = env("back");
          spec.osImage = OLD;
          spec.rollout = new Rollout();
          spec.rollout.onFailure = Rollout.OnFailure.Rollback;
        });
    PhalaAppStatus ready = apps.awaitStatus("back-image", s -> Apps.upToDate(s, 3));
    assertThat(ready.envRevision).endsWith("@" + OLD);
    fixture
        .simulator
        .faults()
        .add(
            new FaultRule(
                null,
                FaultRule.Kind.BOOT_FAIL,
                null,
                null,
                null,
                1.0,
                null,
                0,
                Duration.ZERO,
                NEW));
    try {
      apps.edit("back-image", app -> app.getSpec().osImage = NEW);

      PhalaAppStatus rolledBack =
          apps.awaitStatus(
              "back-image",
              s ->
                  s.rollout != null
                      && "RolledBack".equals(s.rollout.action)
                      && Apps.condition(s, "Progressing", "False"));
      assertThat(rolledBack.rollout.lastGoodRevision).isEqualTo(ready.envRevision);
      assertThat(fixture.simulator.world().listApp(ready.appId))
          .hasSize(3)
          .allSatisfy(
              c -> {
                assertThat(c.status()).isEqualTo("running");
                assertThat(c.osImage().name()).isEqualTo(OLD);
                assertThat(Apps.booted(fixture.simulator, c.vmUuid().toString()))
                    .containsEntry("API_TOKEN", "back-1");
              });
    } finally {
      fixture.simulator.faults().clear();
    }
  }

  private static List<cloud.phala.operator.crd.EnvVarSource> env(String prefix) {
    return List.of(Apps.fromSecret("API_TOKEN", prefix + "-api", "token"));
  }

  private static Condition condition(PhalaAppStatus status, String type) {
    return status.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().get();
  }
}
