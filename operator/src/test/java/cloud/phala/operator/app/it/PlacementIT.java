package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Placement;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
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
 * {@code spec.placement}: replicas spread over Phala Cloud's nodes; a listed node that is not
 * offered, or no free slot, is a condition, and the app goes on once a node has room.
 */
@KubeApiTest
class PlacementIT {
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
  void replicas_spreadOneToANode_overEveryNodeOffered(KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("spread-api", Map.of("token", "s-1"));
    apps.create(
        "spread",
        3,
        spec -> {
          spec.env = env("spread");
          spec.placement = new Placement();
        });

    PhalaAppStatus ready = apps.awaitStatus("spread", s -> Apps.upToDate(s, 3));

    List<CvmSnapshot> cvms = fixture.simulator.world().listApp(ready.appId);
    assertThat(cvms).extracting(CvmSnapshot::nodeId).containsExactlyInAnyOrder(1, 2, 3);
  }

  @Test
  void aListedNodeNotOffered_andAFullNode_areAConditionNotAStuckRollout(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("full-api", Map.of("token", "f-1"));
    fixture.simulator.world().setNodeSlots(2, 0);
    try {
      apps.create(
          "full",
          1,
          spec -> {
            spec.env = env("full");
            spec.placement = new Placement();
            spec.placement.nodeIds = List.of(9, 2);
          });

      PhalaAppStatus waiting =
          apps.awaitStatus(
              "full", s -> s.conditions != null && hasReason(s, "Progressing", "NodeUnavailable"));
      assertThat(condition(waiting, "Progressing").getMessage())
          .contains("spec.placement.nodeIds names nodes Phala Cloud does not offer: [9]")
          .contains("no allowed node has a free slot for 1 more CVM(s) (allowed: [2])");
      assertThat(fixture.simulator.world().list()).noneMatch(c -> c.name().contains("full"));
      assertThat(client.v1().events().inNamespace(ns.name()).list().getItems())
          .anyMatch(
              e ->
                  "NodeUnavailable".equals(e.getReason())
                      && e.getInvolvedObject().getName().equals("full"));

      fixture.simulator.world().setNodeSlots(2, 10);

      PhalaAppStatus ready = apps.awaitStatus("full", s -> Apps.upToDate(s, 1));
      assertThat(fixture.simulator.world().listApp(ready.appId))
          .extracting(CvmSnapshot::nodeId)
          .containsExactly(2);
    } finally {
      fixture.simulator.world().setNodeSlots(2, 10_000);
    }
  }

  private static List<cloud.phala.operator.crd.EnvVarSource> env(String prefix) {
    return List.of(Apps.fromSecret("API_TOKEN", prefix + "-api", "token"));
  }

  private static boolean hasReason(PhalaAppStatus status, String type, String reason) {
    return status.conditions.stream()
        .anyMatch(c -> type.equals(c.getType()) && reason.equals(c.getReason()));
  }

  private static Condition condition(PhalaAppStatus status, String type) {
    return status.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().get();
  }
}
