package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An operator restarted in the middle of a rollout continues it, restarting no CVM twice. */
@KubeApiTest
class RestartIT {
  private static OperatorFixture fixture;

  @BeforeAll
  static void start(KubernetesClient client, TestNamespace ns) {
    fixture = OperatorFixture.start(client, ns.name(), Duration.ofMillis(1500));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void aRestartMidRollout_continuesIt_withEveryCvmBootingOncePerRevision(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("db", Map.of("url", "postgres://restart"));
    apps.secret("api", Map.of("token", "restart-1"));
    apps.create("restarted", 3, spec -> {});
    PhalaAppStatus before = apps.awaitStatus("restarted", s -> Apps.upToDate(s, 3));

    apps.secret("api", Map.of("token", "restart-2"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                fixture.simulator.world().listApp(before.appId).stream()
                    .anyMatch(CvmSnapshot::inProgress));
    fixture.restartOperator();

    PhalaAppStatus after =
        apps.awaitStatus(
            "restarted",
            s ->
                !before.envRevision.equals(s.envRevision)
                    && Apps.upToDate(s, 3)
                    && Apps.condition(s, "Progressing", "False"));
    for (CvmSnapshot cvm : fixture.simulator.world().listApp(after.appId)) {
      assertThat(cvm.boots())
          .as("boots of %s: the first and the rotation", cvm.name())
          .isEqualTo(2);
      assertThat(Apps.booted(fixture.simulator, cvm.vmUuid().toString()))
          .containsEntry("API_TOKEN", "restart-2");
    }
  }
}
