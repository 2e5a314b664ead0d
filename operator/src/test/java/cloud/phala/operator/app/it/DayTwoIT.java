package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Rollout;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.hooks.FaultRule;
import cloud.phala.operator.simulator.http.RequestLog;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Day-two operations against the real API server and the simulator: restart on demand
 * (spec.restartAt), retry of a halted rollout (spec.rollout.retryAt), and history with undo
 * (status.history, spec.rollout.pinnedRevision).
 */
@KubeApiTest
class DayTwoIT {
  private static final String CANARY = "canary-d2-5e1c-do-not-leak";
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
  void restartAt_restartsEveryCvmOnce_keepingTheFloor_withTheEnvUnchanged(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("rs-db", Map.of("url", "postgres://restart"));
    apps.secret("rs-api", Map.of("token", "restart-1"));
    apps.create("restarting", 3, spec -> spec.env = env("rs"));
    PhalaAppStatus ready =
        apps.awaitStatus(
            "restarting", s -> Apps.upToDate(s, 3) && Apps.condition(s, "Progressing", "False"));
    Map<String, Integer> bootsBefore = boots(ready.appId);
    fixture.simulator.requestLog().clear();

    String restartAt = Instant.now().toString();
    apps.edit("restarting", app -> app.getSpec().restartAt = restartAt);

    PhalaAppStatus restarted =
        apps.awaitStatus("restarting", s -> restartAt.equals(s.restartedAt) && Apps.upToDate(s, 3));
    assertThat(restarted.envRevision).isEqualTo(ready.envRevision);
    assertThat(boots(ready.appId))
        .as("every CVM booted exactly once more")
        .allSatisfy((id, boots) -> assertThat(boots).isEqualTo(bootsBefore.get(id) + 1));
    List<String> restarts =
        fixture.simulator.requestLog().entries().stream()
            .filter(e -> "POST".equals(e.method()) && e.path().endsWith("/restart"))
            .map(RequestLog.Entry::path)
            .toList();
    assertThat(restarts).hasSize(3).doesNotHaveDuplicates();
    assertThat(fixture.simulator.requestLog().entries())
        .as("the env is not sent again")
        .noneMatch(e -> e.path().contains("/envs") || e.path().contains("compose"));
    for (CvmSnapshot cvm : fixture.simulator.world().listApp(ready.appId)) {
      assertThat(Apps.booted(fixture.simulator, cvm.vmUuid().toString()))
          .containsEntry("API_TOKEN", "restart-1");
    }
    assertThat(Apps.minServingOnceAllServed(fixture.simulator.world().timeline(ready.appId), 3))
        .as("maxUnavailable 1: at least 2 of 3 served throughout")
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void retryAt_resumesAHaltedRollout_givingTheFailedReplicaTheRevisionAgain(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("rt-db", Map.of("url", "postgres://retry"));
    apps.secret("rt-api", Map.of("token", "retry-1"));
    apps.create("retrying", 2, spec -> spec.env = env("rt"));
    apps.awaitStatus("retrying", s -> Apps.upToDate(s, 2));
    fixture
        .simulator
        .faults()
        .add(
            new FaultRule(
                null, FaultRule.Kind.BOOT_FAIL, null, null, null, 1.0, 1, 0, Duration.ZERO));
    apps.secret("rt-api", Map.of("token", "retry-2"));
    PhalaAppStatus halted = apps.awaitStatus("retrying", s -> "Halted".equals(s.phase));
    assertThat(halted.rollout.failedAt).isNotNull();

    String retryAt = Instant.now().toString();
    apps.edit(
        "retrying",
        app -> {
          if (app.getSpec().rollout == null) {
            app.getSpec().rollout = new Rollout();
          }
          app.getSpec().rollout.retryAt = retryAt;
        });

    PhalaAppStatus done =
        apps.awaitStatus(
            "retrying",
            s ->
                Apps.upToDate(s, 2)
                    && halted.envRevision.equals(s.envRevision)
                    && "Ready".equals(s.phase));
    assertThat(done.rollout.failedRevision).isNull();
    for (CvmSnapshot cvm : fixture.simulator.world().listApp(done.appId)) {
      assertThat(cvm.status()).isEqualTo("running");
      assertThat(Apps.booted(fixture.simulator, cvm.vmUuid().toString()))
          .containsEntry("API_TOKEN", "retry-2");
    }
    assertThat(client.v1().events().inNamespace(ns.name()).list().getItems())
        .anyMatch(e -> "RolloutRetried".equals(e.getReason()));
  }

  @Test
  void history_namesChangedKeysWithoutValues_aPinRollsBackToAnOlderEnv_andUnpinningReturns(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("un-db", Map.of("url", "postgres://undo"));
    apps.secret("un-api", Map.of("token", "undo-1"));
    apps.create("undoing", 2, spec -> spec.env = env("un"));
    apps.awaitStatus("undoing", s -> s.history != null && s.revision == 1);
    apps.secret("un-api", Map.of("token", CANARY));
    PhalaAppStatus two =
        apps.awaitStatus("undoing", s -> s.history != null && s.history.size() == 2);
    assertThat(two.revision).isEqualTo(2);
    assertThat(two.history).extracting(e -> e.revision).containsExactly(2, 1);
    assertThat(two.history.get(0).changedKeys).containsExactly("API_TOKEN");
    assertThat(two.history.get(0).envKeys).containsExactlyInAnyOrder("API_TOKEN", "DATABASE_URL");
    assertThat(Serialization.asJson(apps.get("undoing"))).doesNotContain(CANARY);

    apps.edit("undoing", app -> pin(app.getSpec(), 1));

    PhalaAppStatus pinned =
        apps.awaitStatus(
            "undoing",
            s ->
                Integer.valueOf(1).equals(s.revision)
                    && Apps.upToDate(s, 2)
                    && Apps.condition(s, "Progressing", "False"));
    assertThat(pinned.envRevision).isEqualTo(two.history.get(1).envRevision);
    assertThat(bootedTokens(pinned.appId)).containsOnly("undo-1");

    apps.edit("undoing", app -> app.getSpec().rollout.pinnedRevision = null);

    PhalaAppStatus unpinned =
        apps.awaitStatus(
            "undoing",
            s ->
                Integer.valueOf(2).equals(s.revision)
                    && Apps.upToDate(s, 2)
                    && Apps.condition(s, "Progressing", "False"));
    assertThat(unpinned.envRevision).isEqualTo(two.envRevision);
    assertThat(bootedTokens(unpinned.appId)).containsOnly(CANARY);
    assertThat(unpinned.history).hasSize(2);
  }

  @Test
  void aPinOfAnUnknownRevision_deploysNothing_andSaysWhy(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("pu-db", Map.of("url", "postgres://unknown"));
    apps.secret("pu-api", Map.of("token", "unknown-1"));
    apps.create("pin-unknown", 1, spec -> spec.env = env("pu"));
    PhalaAppStatus ready =
        apps.awaitStatus("pin-unknown", s -> s.history != null && Apps.upToDate(s, 1));
    Map<String, Integer> bootsBefore = boots(ready.appId);

    apps.edit("pin-unknown", app -> pin(app.getSpec(), 9));

    PhalaAppStatus refused =
        apps.awaitStatus(
            "pin-unknown",
            s ->
                s.conditions != null
                    && s.conditions.stream()
                        .anyMatch(c -> "PinnedRevisionUnknown".equals(c.getReason())));
    assertThat(refused.phase).isEqualTo("Blocked");
    assertThat(boots(ready.appId)).isEqualTo(bootsBefore);
    assertThat(client.v1().events().inNamespace(ns.name()).list().getItems())
        .anyMatch(
            e ->
                "PinnedRevisionUnknown".equals(e.getReason())
                    && e.getInvolvedObject().getName().equals("pin-unknown"));
  }

  private static void pin(cloud.phala.operator.crd.PhalaAppSpec spec, int revision) {
    if (spec.rollout == null) {
      spec.rollout = new Rollout();
    }
    spec.rollout.pinnedRevision = revision;
  }

  private static Map<String, Integer> boots(String appId) {
    return fixture.simulator.world().listApp(appId).stream()
        .collect(Collectors.toMap(c -> c.vmUuid().toString(), CvmSnapshot::boots));
  }

  private static List<String> bootedTokens(String appId) {
    return fixture.simulator.world().listApp(appId).stream()
        .map(c -> Apps.booted(fixture.simulator, c.vmUuid().toString()).get("API_TOKEN"))
        .toList();
  }

  private static List<cloud.phala.operator.crd.EnvVarSource> env(String prefix) {
    return List.of(
        Apps.fromSecret("DATABASE_URL", prefix + "-db", "url"),
        Apps.fromSecret("API_TOKEN", prefix + "-api", "token"));
  }
}
