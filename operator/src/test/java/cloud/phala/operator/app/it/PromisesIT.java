package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.EnvFromSource;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Rollout;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two promises, on the paths a review found broken, shaped as users met them: the availability
 * floor when a Secret change and a scale-down arrive together, and the whole env when a rotation
 * adds a key under maxSurge. Asserted from the simulator's availability timeline and from what each
 * CVM booted.
 */
@KubeApiTest
class PromisesIT {
  private static OperatorFixture fixture;

  @BeforeAll
  static void start(KubernetesClient client, TestNamespace ns) {
    fixture = OperatorFixture.start(client, ns.name(), Duration.ofMillis(600));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /**
   * The Secret change and the new replica count reach the operator in one pass (held by pause, as a
   * GitOps sync of both would deliver them), so one plan both scales and rotates.
   */
  @Test
  void aSecretChangeAndAScaleDownTogether_neverTakeMoreThanMaxUnavailableDown(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("sr-db", Map.of("url", "postgres://sr"));
    apps.secret("sr-api", Map.of("token", "sr-1"));
    apps.create(
        "scale-rotate",
        3,
        spec ->
            spec.env =
                List.of(
                    Apps.fromSecret("DATABASE_URL", "sr-db", "url"),
                    Apps.fromSecret("API_TOKEN", "sr-api", "token")));
    PhalaAppStatus before = apps.awaitStatus("scale-rotate", s -> Apps.upToDate(s, 3));
    apps.edit("scale-rotate", app -> app.getSpec().rollout = paused(true));
    long pausedAt = apps.get("scale-rotate").getMetadata().getGeneration();
    apps.awaitStatus(
        "scale-rotate", s -> s.observedGeneration != null && s.observedGeneration >= pausedAt);

    apps.secret("sr-api", Map.of("token", "sr-2"));
    apps.edit(
        "scale-rotate",
        app -> {
          app.getSpec().replicas = 2;
          app.getSpec().rollout = paused(false);
        });

    PhalaAppStatus after =
        apps.awaitStatus(
            "scale-rotate",
            s ->
                !before.envRevision.equals(s.envRevision)
                    && Apps.upToDate(s, 2)
                    && Apps.condition(s, "Progressing", "False"));
    List<CvmSnapshot> cvms = fixture.simulator.world().listApp(after.appId);
    assertThat(cvms).hasSize(2);
    for (CvmSnapshot cvm : cvms) {
      assertThat(Apps.booted(fixture.simulator, cvm.vmUuid().toString()))
          .containsEntry("API_TOKEN", "sr-2");
    }
    assertThat(Apps.minServingOnceAllServed(fixture.simulator.world().timeline(after.appId), 3))
        .as("serving never below replicas (2) - maxUnavailable (1)")
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void aRotationThatAddsAKey_underMaxSurge_bootsEveryCvmWithTheWholeEnv(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("ka-db", Map.of("url", "postgres://ka"));
    apps.secret("ka-keys", Map.of("API_TOKEN", "ka-1"));
    apps.create(
        "key-add",
        3,
        spec -> {
          spec.env = List.of(Apps.fromSecret("DATABASE_URL", "ka-db", "url"));
          EnvFromSource keys = new EnvFromSource();
          keys.secretRef = new EnvFromSource.NamedRef();
          keys.secretRef.name = "ka-keys";
          spec.envFrom = List.of(keys);
          spec.rollout = new Rollout();
          spec.rollout.maxSurge = new IntOrString(1);
          spec.rollout.maxUnavailable = new IntOrString(0);
        });
    PhalaAppStatus before = apps.awaitStatus("key-add", s -> Apps.upToDate(s, 3));

    apps.secret("ka-keys", Map.of("API_TOKEN", "ka-2", "EXTRA_KEY", "ka-extra"));

    PhalaAppStatus after =
        apps.awaitStatus(
            "key-add",
            s ->
                !before.envRevision.equals(s.envRevision)
                    && Apps.upToDate(s, 3)
                    && Apps.condition(s, "Progressing", "False"));
    assertThat(after.envKeys).contains("EXTRA_KEY");
    List<CvmSnapshot> cvms = fixture.simulator.world().listApp(after.appId);
    assertThat(cvms).hasSize(3);
    for (CvmSnapshot cvm : cvms) {
      assertThat(Apps.booted(fixture.simulator, cvm.vmUuid().toString()))
          .as("CVM %s booted the whole env", cvm.name())
          .isEqualTo(
              Map.of(
                  "DATABASE_URL", "postgres://ka", "API_TOKEN", "ka-2", "EXTRA_KEY", "ka-extra"));
    }
    assertThat(Apps.minServingOnceAllServed(fixture.simulator.world().timeline(after.appId), 3))
        .as("maxUnavailable 0: never fewer than 3 serving")
        .isGreaterThanOrEqualTo(3);
  }

  private static Rollout paused(boolean paused) {
    Rollout rollout = new Rollout();
    rollout.paused = paused;
    return rollout;
  }
}
