package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Rollout;
import cloud.phala.operator.simulator.cloud.AppRevision;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.hooks.FaultRule;
import cloud.phala.operator.simulator.http.RequestLog;
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
 * A replica that fails on the new revision stops the rollout: Halt leaves the others serving the
 * old one; Rollback restores the last revision every replica ran, by redeploying the Phala Cloud
 * revision it ran.
 */
@KubeApiTest
class RolloutFailureIT {
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
  void aBootFailure_haltsTheRollout_leavesTheOldReplicasServing_andANewChangeStartsAgain(
      KubernetesClient client, TestNamespace ns) throws Exception {
    Apps apps = new Apps(client, ns.name());
    apps.secret("halt-db", Map.of("url", "postgres://halt"));
    apps.secret("halt-api", Map.of("token", "halt-1"));
    apps.create("halting", 3, spec -> spec.env = env("halt"));
    PhalaAppStatus ready = apps.awaitStatus("halting", s -> Apps.upToDate(s, 3));

    failNextBoot(FaultRule.Kind.BOOT_FAIL);
    apps.secret("halt-api", Map.of("token", "halt-2"));

    PhalaAppStatus halted = apps.awaitStatus("halting", s -> "Halted".equals(s.phase));
    assertThat(halted.rollout.failedRevision).isEqualTo(halted.envRevision);
    assertThat(halted.rollout.action).isEqualTo("Halted");
    assertThat(condition(halted, "Degraded"))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("RolloutHalted");
              assertThat(c.getMessage()).contains("failed to boot revision " + halted.envRevision);
            });
    assertThat(condition(halted, "Progressing").getStatus()).isEqualTo("False");
    // several passes: a halted rollout must stay halted
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(10))
        .until(() -> apps.get("halting").getStatus(), s -> "Halted".equals(s.phase));
    List<CvmSnapshot> cvms = fixture.simulator.world().listApp(ready.appId);
    assertThat(cvms).filteredOn(c -> c.boots() == 2).hasSize(1);
    assertThat(cvms)
        .filteredOn(c -> c.boots() == 1)
        .hasSize(2)
        .allSatisfy(
            c -> {
              assertThat(c.status()).isEqualTo("running");
              assertThat(Apps.booted(fixture.simulator, c.vmUuid().toString()))
                  .containsEntry("API_TOKEN", "halt-1");
            });
    assertThat(client.v1().events().inNamespace(ns.name()).list().getItems())
        .anyMatch(
            e ->
                "RolloutHalted".equals(e.getReason())
                    && e.getInvolvedObject().getName().equals("halting"));
    assertThat(fixture.scrapeMetrics())
        .contains("phala_app_rollout_failed{name=\"halting\",namespace=\"" + ns.name() + "\"} 1.0");

    apps.secret("halt-api", Map.of("token", "halt-3"));

    PhalaAppStatus recovered =
        apps.awaitStatus(
            "halting", s -> Apps.upToDate(s, 3) && !halted.envRevision.equals(s.envRevision));
    assertThat(condition(recovered, "Degraded").getStatus()).isEqualTo("False");
    assertThat(recovered.rollout.failedRevision).isNull();
    for (CvmSnapshot cvm : fixture.simulator.world().listApp(ready.appId)) {
      assertThat(Apps.booted(fixture.simulator, cvm.vmUuid().toString()))
          .containsEntry("API_TOKEN", "halt-3");
    }
  }

  @Test
  void aReplicaNotRunningWithinReadyTimeout_haltsTheRollout_namingTheTimeout(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("hang-db", Map.of("url", "postgres://hang"));
    apps.secret("hang-api", Map.of("token", "hang-1"));
    apps.create(
        "hanging",
        2,
        spec -> {
          spec.env = env("hang");
          spec.rollout = new Rollout();
          spec.rollout.readyTimeout = "2s";
        });
    apps.awaitStatus("hanging", s -> Apps.upToDate(s, 2));

    failNextBoot(FaultRule.Kind.BOOT_HANG);
    apps.secret("hang-api", Map.of("token", "hang-2"));

    PhalaAppStatus halted = apps.awaitStatus("hanging", s -> "Halted".equals(s.phase));
    assertThat(halted.rollout.failure)
        .contains("was not running revision " + halted.envRevision + " within readyTimeout PT2S");
    assertThat(halted.readyReplicas).isEqualTo(1);
  }

  @Test
  void onFailureRollback_redeploysThePhalaCloudRevisionTheLastGoodRevisionRan(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("rb-db", Map.of("url", "postgres://rollback"));
    apps.secret("rb-api", Map.of("token", "canary-7f3a9c-do-not-leak-rb1"));
    apps.create(
        "rolling-back",
        3,
        spec -> {
          spec.env = env("rb");
          spec.rollout = new Rollout();
          spec.rollout.onFailure = Rollout.OnFailure.Rollback;
        });
    PhalaAppStatus ready =
        apps.awaitStatus(
            "rolling-back", s -> Apps.upToDate(s, 3) && s.rollout.rollbackRecord != null);
    PhalaAppStatus.RollbackRecord record = ready.rollout.rollbackRecord;
    AppRevision kept = fixture.simulator.world().revision(ready.appId, record.phalaRevision);
    assertThat(kept.composeHash()).isEqualTo(record.composeHash);
    assertThat(fixture.simulator.world().listApp(ready.appId))
        .as("the recorded revision holds the compose and sealed env one of the replicas booted")
        .anyMatch(
            c ->
                c.vmUuid().equals(kept.vmUuid())
                    && c.bootedComposeHash().equals(kept.composeHash())
                    && c.bootedEncryptedEnv().equals(kept.encryptedEnv()));
    assertThat(
            client.secrets().inNamespace(ns.name()).withName("rolling-back-phala-rollback").get())
        .as("no Secret keeps the revision")
        .isNull();

    failNextBoot(FaultRule.Kind.BOOT_FAIL);
    apps.secret("rb-api", Map.of("token", "rb-2"));

    PhalaAppStatus rolledBack =
        apps.awaitStatus(
            "rolling-back",
            s ->
                !ready.envRevision.equals(s.envRevision)
                    && "RolledBack".equals(s.rollout.action)
                    && Apps.condition(s, "Progressing", "False"));
    assertThat(condition(rolledBack, "Degraded").getReason()).isEqualTo("RolledBack");
    assertThat(rolledBack.readyReplicas).isEqualTo(3);
    assertThat(rolledBack.cvms).allMatch(c -> ready.envRevision.equals(c.envRevision));
    for (CvmSnapshot cvm : fixture.simulator.world().listApp(ready.appId)) {
      assertThat(cvm.status()).isEqualTo("running");
      assertThat(cvm.compose().hash()).isEqualTo(record.composeHash);
      assertThat(Apps.booted(fixture.simulator, cvm.vmUuid().toString()))
          .containsEntry("API_TOKEN", "canary-7f3a9c-do-not-leak-rb1");
    }
    assertThat(client.v1().events().inNamespace(ns.name()).list().getItems())
        .as("the failed CVM was redeployed on the recorded Phala Cloud revision")
        .anyMatch(
            e ->
                "Redeployed".equals(e.getReason())
                    && e.getMessage().contains("Phala Cloud revision " + record.phalaRevision));
    assertThat(Apps.minServingOnceAllServed(fixture.simulator.world().timeline(ready.appId), 3))
        .isGreaterThanOrEqualTo(2);

    fixture.simulator.requestLog().clear();
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> apps.get("rolling-back").getStatus(), s -> "RolledBack".equals(s.rollout.action));
    List<String> paths =
        fixture.simulator.requestLog().entries().stream().map(RequestLog.Entry::path).toList();
    assertThat(paths).as("passes ran at rest").isNotEmpty();
    assertThat(paths)
        .as("rolled back and at rest, a pass reads nothing of the revision")
        .noneMatch(p -> p.contains("/revisions"));
  }

  /** Each test has its own Secrets, so a change in one test rolls no other test's app. */
  private static List<cloud.phala.operator.crd.EnvVarSource> env(String prefix) {
    return List.of(
        Apps.fromSecret("DATABASE_URL", prefix + "-db", "url"),
        Apps.fromSecret("API_TOKEN", prefix + "-api", "token"));
  }

  private static void failNextBoot(FaultRule.Kind kind) {
    fixture
        .simulator
        .faults()
        .add(new FaultRule(null, kind, null, null, null, 1.0, 1, 0, Duration.ZERO));
  }

  private static Condition condition(PhalaAppStatus status, String type) {
    await().atMost(Duration.ofSeconds(1)).until(() -> status.conditions != null);
    return status.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().get();
  }
}
