package cloud.phala.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.simulator.time.VirtualTime;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A commit token of the two-phase on-chain flow expires (466), on virtual time. */
class OnChainTokenExpiryTest {
  private static final String CONTRACT = "ef".repeat(20);
  private final VirtualTime time = new VirtualTime();
  private final PhalaSimulator simulator =
      PhalaSimulator.inProcess(
          SimulatorConfig.defaults().withBootTime(Duration.ZERO).withShutdownTime(Duration.ZERO),
          time);
  private final InProcessCalls calls = new InProcessCalls(simulator);

  @AfterEach
  void close() {
    simulator.close();
  }

  @Test
  void aCommitTokenRedeemedAfterItExpired_is466() {
    Map<String, Object> compose = new LinkedHashMap<>();
    compose.put("name", "");
    compose.put("docker_compose_file", Deployments.COMPOSE);
    compose.put("allowed_envs", List.of("API_KEY"));
    JsonNode provisioned =
        calls.json(
            "POST",
            "/api/v1/cvms/provision",
            Map.of("name", "chain-app", "compose_file", compose, "kms", "ethereum"));
    String vm =
        calls
            .json(
                "POST",
                "/api/v1/cvms",
                Map.of(
                    "app_id", CONTRACT, "compose_hash", provisioned.get("compose_hash").asText()))
            .get("vm_uuid")
            .asText();
    time.advance(Duration.ofSeconds(1));
    JsonNode refused =
        calls.json(
            "PATCH", "/api/v1/cvms/" + vm, Map.of("allowed_envs", List.of("API_KEY", "OTHER")));
    Map<String, String> details = new HashMap<>();
    refused
        .get("detail")
        .get("details")
        .forEach(d -> details.put(d.get("field").asText(), d.get("value").asText()));
    String tx =
        calls
            .json(
                "POST",
                "/_sim/apps/" + CONTRACT + "/chain/compose-hashes",
                Map.of("compose_hash", details.get("compose_hash")))
            .get("transaction_hash")
            .asText();
    time.advance(Duration.ofHours(1));

    int status =
        calls
            .send(
                "POST",
                "/api/v1/cvms/" + vm + "/commit-update",
                Map.of(
                    "token", details.get("commit_token"),
                    "compose_hash", details.get("compose_hash"),
                    "transaction_hash", tx))
            .status();

    assertThat(status).isEqualTo(466);
  }
}
