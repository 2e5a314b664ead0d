package cloud.phala.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReplicaAndPowerTest {
  @RegisterExtension
  static final SimulatorExtension SIM =
      new SimulatorExtension(Duration.ofMillis(100), Duration.ofMillis(100));

  private final Deployments deployments = new Deployments(SIM.client());

  private JsonNode running(String name, EnvSet env) {
    JsonNode vm = deployments.deploy(name, env);
    deployments.awaitStatus(vm.get("vm_uuid").asText(), "running");
    return vm;
  }

  @Test
  void aReplicaWithoutAnEnv_inheritsTheSourcesEnv_andGetsItsOwnIds() {
    JsonNode source = running("rep-app", EnvSet.builder().put("API_KEY", "shared").build());

    SimClient.Reply reply =
        SIM.client().post("/api/v1/cvms/" + source.get("vm_uuid").asText() + "/replicas", null);

    assertThat(reply.status()).isEqualTo(200);
    JsonNode replica = reply.json();
    assertThat(replica.get("app_id").asText()).isEqualTo(source.get("app_id").asText());
    assertThat(replica.get("vm_uuid").asText()).isNotEqualTo(source.get("vm_uuid").asText());
    assertThat(replica.get("encrypted_env_pubkey").asText())
        .isEqualTo(source.get("encrypted_env_pubkey").asText());
    deployments.awaitStatus(replica.get("vm_uuid").asText(), "running");
    assertThat(deployments.bootedEnv(replica.get("vm_uuid").asText()))
        .isEqualTo(Map.of("API_KEY", "shared"));
  }

  @Test
  void aReplicaWithItsOwnEnv_bootsWithIt() {
    JsonNode source = running("rep-own-app", EnvSet.builder().put("API_KEY", "old").build());
    String sealed =
        EnvSealer.seal(
                EnvPublicKey.fromHex(source.get("encrypted_env_pubkey").asText()),
                EnvSet.builder().put("API_KEY", "new").build())
            .toHex();

    JsonNode replica =
        SIM.client()
            .post(
                "/api/v1/cvms/" + source.get("vm_uuid").asText() + "/replicas",
                Map.of("encrypted_env", sealed, "node_id", 2))
            .json();

    deployments.awaitStatus(replica.get("vm_uuid").asText(), "running");
    assertThat(deployments.bootedEnv(replica.get("vm_uuid").asText()))
        .isEqualTo(Map.of("API_KEY", "new"));
    assertThat(deployments.bootedEnv(source.get("vm_uuid").asText()))
        .isEqualTo(Map.of("API_KEY", "old"));
    JsonNode cvms = SIM.client().get("/_sim/cvms").json();
    assertThat(cvms.get(0).get("booted_encrypted_env_sha256").asText())
        .matches("[0-9a-f]{64}")
        .isNotEqualTo(cvms.get(1).get("booted_encrypted_env_sha256").asText());
    assertThat(replica.get("teepod_id").asInt()).isEqualTo(2);
  }

  @Test
  void aReplica_bootsTheAllowedKeysOfTheComposeItCopies_soKeysOutsideThemAreDropped() {
    JsonNode first = running("rep-keys-app", EnvSet.builder().put("API_KEY", "a").build());
    String firstId = first.get("vm_uuid").asText();
    EnvSet twoKeys = EnvSet.builder().put("API_KEY", "b").put("DB_URL", "c").build();
    EnvPublicKey key = EnvPublicKey.fromHex(first.get("encrypted_env_pubkey").asText());
    String sealed = EnvSealer.seal(key, twoKeys).toHex();

    JsonNode copy = replicate(firstId, Map.of("encrypted_env", sealed)).json();
    deployments.awaitStatus(copy.get("vm_uuid").asText(), "running");

    assertThat(deployments.bootedEnv(copy.get("vm_uuid").asText()))
        .as("the source's compose allows API_KEY only")
        .isEqualTo(Map.of("API_KEY", "b"));
  }

  @Test
  void aReplica_ofAnAppRunningTwoComposes_bootsTheOneNamedByComposeHash_andMustNameOne() {
    JsonNode first = running("rep-hash-app", EnvSet.builder().put("API_KEY", "a").build());
    String firstId = first.get("vm_uuid").asText();
    EnvPublicKey key = EnvPublicKey.fromHex(first.get("encrypted_env_pubkey").asText());
    EnvSet twoKeys = EnvSet.builder().put("API_KEY", "b").put("DB_URL", "c").build();
    String sealed = EnvSealer.seal(key, twoKeys).toHex();
    String oldHash = composeHash(firstId);
    JsonNode second = replicate(firstId, null).json();
    String secondId = second.get("vm_uuid").asText();
    deployments.awaitStatus(secondId, "running");
    SIM.client()
        .patch(
            "/api/v1/cvms/" + secondId + "/envs",
            Map.of("encrypted_env", sealed, "env_keys", List.of("API_KEY", "DB_URL")));
    deployments.awaitStatus(secondId, "running");
    String newHash = composeHash(secondId);

    SimClient.Reply ambiguous = replicate(firstId, Map.of("encrypted_env", sealed));
    JsonNode onNew =
        replicate(firstId, Map.of("encrypted_env", sealed, "compose_hash", newHash)).json();
    JsonNode onOld =
        replicate(secondId, Map.of("encrypted_env", sealed, "compose_hash", oldHash)).json();
    SimClient.Reply unknown =
        replicate(firstId, Map.of("encrypted_env", sealed, "compose_hash", "ab".repeat(32)));

    assertThat(newHash).isNotEqualTo(oldHash);
    assertThat(ambiguous.status()).isEqualTo(400);
    assertThat(ambiguous.json().get("error_code").asText()).isEqualTo("ERR-03-009");
    assertThat(unknown.status()).isEqualTo(400);
    deployments.awaitStatus(onNew.get("vm_uuid").asText(), "running");
    deployments.awaitStatus(onOld.get("vm_uuid").asText(), "running");
    assertThat(deployments.bootedEnv(onNew.get("vm_uuid").asText()))
        .isEqualTo(Map.of("API_KEY", "b", "DB_URL", "c"));
    assertThat(deployments.bootedEnv(onOld.get("vm_uuid").asText()))
        .isEqualTo(Map.of("API_KEY", "b"));
  }

  private static SimClient.Reply replicate(String cvmId, Map<String, Object> body) {
    return SIM.client().post("/api/v1/cvms/" + cvmId + "/replicas", body);
  }

  private static String composeHash(String cvmId) {
    return SIM.client().get("/api/v1/cvms/" + cvmId).json().get("compose_hash").asText();
  }

  @Test
  void stopStartRestartAndDelete_moveTheCvmThroughItsStatuses() {
    JsonNode vm = running("power-app", EnvSet.builder().put("API_KEY", "x").build());
    String id = vm.get("vm_uuid").asText();

    assertThat(
            SIM.client().post("/api/v1/cvms/" + id + "/stop", null).json().get("status").asText())
        .isEqualTo("stopping");
    deployments.awaitStatus(id, "stopped");
    assertThat(
            SIM.client().post("/api/v1/cvms/" + id + "/start", null).json().get("status").asText())
        .isEqualTo("starting");
    deployments.awaitStatus(id, "running");
    assertThat(
            SIM.client()
                .post("/api/v1/cvms/" + id + "/shutdown", null)
                .json()
                .get("status")
                .asText())
        .isEqualTo("shutting_down");
    deployments.awaitStatus(id, "stopped");
    SIM.client().post("/api/v1/cvms/" + id + "/start", null);
    deployments.awaitStatus(id, "running");
    assertThat(
            SIM.client()
                .post("/api/v1/cvms/" + id + "/restart", Map.of("force", false))
                .json()
                .get("status")
                .asText())
        .isEqualTo("restarting");
    deployments.awaitStatus(id, "running");

    assertThat(SIM.client().delete("/api/v1/cvms/" + id).status()).isEqualTo(204);
    assertThat(SIM.client().get("/api/v1/cvms/" + id).status()).isEqualTo(404);
  }

  @Test
  void theAvailabilityTimeline_recordsHowManyCvmsServedOverTime() {
    JsonNode vm = running("timeline-app", EnvSet.builder().put("API_KEY", "x").build());
    String id = vm.get("vm_uuid").asText();
    SIM.client().post("/api/v1/cvms/" + id + "/restart", Map.of("force", false));
    deployments.awaitStatus(id, "running");

    JsonNode timeline =
        SIM.client().get("/_sim/apps/" + vm.get("app_id").asText() + "/timeline").json();

    assertThat(timeline).extracting(p -> p.get("serving").asInt()).containsSubsequence(0, 1, 0, 1);
    assertThat(timeline).allSatisfy(p -> assertThat(p.get("total").asInt()).isEqualTo(1));
  }
}
