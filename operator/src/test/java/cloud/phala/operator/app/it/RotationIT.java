package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.simulator.cloud.AvailabilityPoint;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deploy from Secrets, then rotate a Secret through three replicas without downtime. */
@KubeApiTest
class RotationIT {
  private static OperatorFixture fixture;

  @BeforeAll
  static void start(KubernetesClient client, TestNamespace ns) {
    fixture = OperatorFixture.start(client, ns.name(), Duration.ofMillis(600));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void aPhalaApp_deploysEveryReplicaWithExactlyTheResolvedSecrets_thenRotatesWithoutDowntime(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("db", Map.of("url", "postgres://db-1"));
    apps.secret("api", Map.of("token", "token-1"));

    apps.create("payments", 3, spec -> {});
    PhalaAppStatus ready =
        apps.awaitStatus(
            "payments", s -> Apps.upToDate(s, 3) && Apps.condition(s, "Ready", "True"));

    assertThat(ready.cvms).hasSize(3);
    for (PhalaAppStatus.CvmStatus cvm : ready.cvms) {
      assertThat(Apps.booted(fixture.simulator, cvm.cvmId))
          .isEqualTo(Map.of("API_TOKEN", "token-1", "DATABASE_URL", "postgres://db-1"));
    }
    assertThat(ready.envKeys).containsExactly("DATABASE_URL", "API_TOKEN");
    String firstRevision = ready.envRevision;
    assertThat(ready.observedInputs.secrets)
        .as("status names the version of each Secret the revision was computed from")
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "db",
                resourceVersion(client, ns, "db"),
                "api",
                resourceVersion(client, ns, "api")));

    apps.secret("api", Map.of("token", "token-2"));
    String changed = resourceVersion(client, ns, "api");
    assertThat(changed).isNotEqualTo(ready.observedInputs.secrets.get("api"));

    PhalaAppStatus rotated =
        apps.awaitStatus(
            "payments",
            s ->
                !firstRevision.equals(s.envRevision)
                    && Apps.upToDate(s, 3)
                    && Apps.condition(s, "Ready", "True"));
    for (PhalaAppStatus.CvmStatus cvm : rotated.cvms) {
      assertThat(Apps.booted(fixture.simulator, cvm.cvmId))
          .isEqualTo(Map.of("API_TOKEN", "token-2", "DATABASE_URL", "postgres://db-1"));
    }
    assertThat(rotated.observedInputs.secrets)
        .as("once rotated, status names the changed Secret's new resourceVersion")
        .containsEntry("api", changed)
        .containsEntry("db", ready.observedInputs.secrets.get("db"));
    assertThat(rotated.observedInputs.generation).isEqualTo(rotated.observedGeneration);
    assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(rotated))
        .as("versions only, never a value")
        .doesNotContain("token-1", "token-2", "postgres://");
    List<AvailabilityPoint> timeline = fixture.simulator.world().timeline(rotated.appId);
    int minServingAfterFirstReady = Apps.minServingOnceAllServed(timeline, 3);
    assertThat(minServingAfterFirstReady)
        .as("serving CVMs during the rotation")
        .isGreaterThanOrEqualTo(2);

    String metrics =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> fixture.scrapeMetrics(), m -> m.contains("phala_rollouts_total"));
    assertThat(metrics)
        .contains(
            "phala_app_replicas{name=\"payments\",namespace=\""
                + ns.name()
                + "\",phase=\"running\"} 3.0")
        .contains("phala_rollouts_total{result=\"completed\"}")
        .contains(
            "phala_api_requests_seconds_count{operation=\"PATCH /cvms/{cvm_id}/envs\",status=\"202\"} 3")
        .contains("operator_sdk_reconciliations_started_total");
    assertThat(metrics)
        .as("JOSDK's reconcile tasks are told apart: a rollout's passes queue as follow-ups")
        .containsPattern("phala_passes_queued_total\\{kind=\"follow-up\"} [1-9]")
        .contains("phala_passes_queued_total{kind=\"unknown\"} 0.0");
  }

  @Test
  void aChangeMidRollout_supersedesIt_rollingAgainTheCvmsAlreadyOnTheIntermediateRevision(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("mid-db", Map.of("url", "postgres://mid"));
    apps.secret("mid-api", Map.of("token", "mid-1"));
    apps.create(
        "superseded",
        4,
        spec ->
            spec.env =
                List.of(
                    Apps.fromSecret("DATABASE_URL", "mid-db", "url"),
                    Apps.fromSecret("API_TOKEN", "mid-api", "token")));
    PhalaAppStatus first = apps.awaitStatus("superseded", s -> Apps.upToDate(s, 4));

    apps.secret("mid-api", Map.of("token", "mid-2"));
    PhalaAppStatus midway =
        apps.awaitStatus(
            "superseded",
            s ->
                !first.envRevision.equals(s.envRevision)
                    && s.cvms.stream().anyMatch(c -> s.envRevision.equals(c.envRevision)));
    apps.secret("mid-api", Map.of("token", "mid-3"));

    PhalaAppStatus done =
        apps.awaitStatus(
            "superseded",
            s ->
                !midway.envRevision.equals(s.envRevision)
                    && !first.envRevision.equals(s.envRevision)
                    && Apps.upToDate(s, 4)
                    && Apps.condition(s, "Progressing", "False"));
    List<CvmSnapshot> cvms = fixture.simulator.world().listApp(done.appId);
    assertThat(cvms).hasSize(4);
    for (CvmSnapshot cvm : cvms) {
      assertThat(Apps.booted(fixture.simulator, cvm.vmUuid().toString()))
          .containsEntry("API_TOKEN", "mid-3");
    }
    assertThat(cvms)
        .as("a CVM already on the intermediate revision booted once more; none booted more")
        .extracting(CvmSnapshot::boots)
        .allMatch(boots -> boots == 2 || boots == 3)
        .anyMatch(boots -> boots == 3);
    assertThat(done.cvms).allMatch(c -> done.envRevision.equals(c.envRevision));
    assertThat(Apps.minServingOnceAllServed(fixture.simulator.world().timeline(done.appId), 4))
        .as("never more than maxUnavailable (1) down")
        .isGreaterThanOrEqualTo(3);
  }

  private static String resourceVersion(KubernetesClient client, TestNamespace ns, String secret) {
    return client
        .secrets()
        .inNamespace(ns.name())
        .withName(secret)
        .get()
        .getMetadata()
        .getResourceVersion();
  }
}
