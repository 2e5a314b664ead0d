package cloud.phala.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crypto.EnvSet;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nodes with their capacity, and OS image upgrades with a boot fault on one image. The official
 * clients' side of these paths is in {@code official-clients.test.mjs}.
 */
class DayTwoTest {
  @RegisterExtension
  static final SimulatorExtension SIM =
      new SimulatorExtension(Duration.ofMillis(100), Duration.ofMillis(100));

  private final SimClient client = SIM.client();
  private final Deployments deployments = new Deployments(client);

  @Test
  void aReplicaGoesToTheNodeNamed_andAFullNodeIsRefused_andShownWithoutSlots() {
    JsonNode vm = deployments.deploy("placed-app", EnvSet.builder().put("API_KEY", "a").build());
    String id = vm.get("vm_uuid").asText();
    deployments.awaitStatus(id, "running");

    JsonNode onTwo = client.post("/api/v1/cvms/" + id + "/replicas", Map.of("node_id", 2)).json();
    assertThat(onTwo.get("teepod_id").asInt()).isEqualTo(2);
    assertThat(client.send("PUT", "/_sim/nodes/3", Map.of("cvm_slots", 0), Map.of()).status())
        .isEqualTo(204);

    SimClient.Reply full = client.post("/api/v1/cvms/" + id + "/replicas", Map.of("node_id", 3));
    assertThat(full.status()).isEqualTo(400);
    assertThat(full.text()).contains("Node 3 has no capacity left");
    JsonNode nodes = client.get("/api/v1/teepods/available").json().get("nodes");
    List<String> slots = new ArrayList<>();
    nodes.forEach(
        n -> slots.add(n.get("teepod_id").asInt() + ":" + n.get("remaining_cvm_slots").asInt()));
    assertThat(slots).contains("3:0");
    JsonNode listed = client.get("/api/v1/workspaces/simulator/nodes").json();
    assertThat(listed.get("total").asInt()).isEqualTo(nodes.size());
  }

  @Test
  void aBootFaultOnOneOsImage_failsTheUpgradeOntoIt_only() {
    JsonNode vm = deployments.deploy("upgraded-app", EnvSet.builder().put("API_KEY", "a").build());
    String id = vm.get("vm_uuid").asText();
    deployments.awaitStatus(id, "running");
    client.post("/_sim/faults", Map.of("kind", "boot_fail", "os_image", "dstack-0.5.5"));

    client.post("/api/v1/cvms/" + id + "/restart", Map.of("force", false));
    deployments.awaitStatus(id, "running");
    SimClient.Reply upgrade =
        client.patch("/api/v1/cvms/" + id + "/os-image", Map.of("os_image_name", "dstack-0.5.5"));

    assertThat(upgrade.status()).isEqualTo(202);
    JsonNode failed = deployments.awaitStatus(id, "error");
    assertThat(failed.get("os").get("name").asText()).isEqualTo("dstack-0.5.5");
    assertThat(
            client
                .patch(
                    "/api/v1/cvms/" + id + "/os-image", Map.of("os_image_name", "dstack-dev-0.5.5"))
                .status())
        .isEqualTo(400);
  }
}
