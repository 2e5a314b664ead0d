package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two operator instances elect one leader through a Lease; when it dies the other takes over. */
@KubeApiTest
class LeaderElectionIT {
  private static OperatorFixture first;
  private static OperatorFixture second;

  @BeforeAll
  static void start(KubernetesClient client, TestNamespace ns) {
    first =
        OperatorFixture.start(
            client,
            ns.name(),
            Duration.ofMillis(1000),
            ns.name(),
            Map.of(
                "LEADER_ELECTION",
                "true",
                "POD_NAME",
                "operator-a",
                "LEASE_DURATION",
                "3s",
                "EXIT_ON_LOST_LEASE",
                "false"));
    second =
        first.secondInstance(
            Map.of(
                "LEADER_ELECTION",
                "true",
                "POD_NAME",
                "operator-b",
                "LEASE_DURATION",
                "3s",
                "EXIT_ON_LOST_LEASE",
                "false"));
  }

  @AfterAll
  static void stop() {
    second.closeOperatorOnly();
    first.close();
  }

  @Test
  void oneLeaderHoldsTheLease_andWhenItStopsMidRollout_theOtherFinishesIt(
      KubernetesClient client, TestNamespace ns) {
    Lease lease =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> client.leases().inNamespace(ns.name()).withName("phala-operator").get(),
                l -> l != null && l.getSpec().getHolderIdentity() != null);
    String leader = lease.getSpec().getHolderIdentity();
    assertThat(leader).isIn("operator-a", "operator-b");
    Apps apps = new Apps(client, ns.name());
    apps.secret("db", Map.of("url", "postgres://leader"));
    apps.secret("api", Map.of("token", "leader-1"));
    apps.create("led", 3, spec -> {});
    PhalaAppStatus ready = apps.awaitStatus("led", s -> Apps.upToDate(s, 3));

    apps.secret("api", Map.of("token", "leader-2"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                first.simulator.world().listApp(ready.appId).stream()
                    .anyMatch(CvmSnapshot::inProgress));
    (leader.equals("operator-a") ? first : second).closeOperatorOnly();

    PhalaAppStatus rotated =
        apps.awaitStatus(
            "led",
            s ->
                !ready.envRevision.equals(s.envRevision)
                    && Apps.upToDate(s, 3)
                    && Apps.condition(s, "Progressing", "False"));
    assertThat(
            client
                .leases()
                .inNamespace(ns.name())
                .withName("phala-operator")
                .get()
                .getSpec()
                .getHolderIdentity())
        .isNotEqualTo(leader);
    for (PhalaAppStatus.CvmStatus cvm : rotated.cvms) {
      assertThat(Apps.booted(first.simulator, cvm.cvmId)).containsEntry("API_TOKEN", "leader-2");
    }
    assertThat(first.simulator.world().listApp(rotated.appId))
        .as("the new leader restarted no CVM the old one had already restarted")
        .extracting(CvmSnapshot::boots)
        .containsOnly(2);
    assertThat(Apps.minServingOnceAllServed(first.simulator.world().timeline(rotated.appId), 3))
        .isGreaterThanOrEqualTo(2);
  }
}
