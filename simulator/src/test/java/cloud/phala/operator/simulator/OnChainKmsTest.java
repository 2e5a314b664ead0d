package cloud.phala.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On-chain KMS apps: a compose-hash change or a device the app contract does not allow answers 465
 * until the owner's transaction (here the {@code /_sim} hook) registers it; phase two, the token
 * flow and the allow-list reads.
 */
class OnChainKmsTest {
  @RegisterExtension static final SimulatorExtension SIM = SimulatorExtension.instant();
  private static final String CONTRACT = "cd".repeat(20);

  private JsonNode deployOnChain() {
    Map<String, Object> compose = new LinkedHashMap<>();
    compose.put("name", "");
    compose.put("docker_compose_file", Deployments.COMPOSE);
    compose.put("allowed_envs", List.of("API_KEY"));
    JsonNode provisioned =
        SIM.client()
            .post(
                "/api/v1/cvms/provision",
                Map.of("name", "chain-app", "compose_file", compose, "kms", "base", "node_id", 1))
            .json();
    JsonNode vm =
        SIM.client()
            .post(
                "/api/v1/cvms",
                Map.of(
                    "app_id", CONTRACT, "compose_hash", provisioned.get("compose_hash").asText()))
            .json();
    new Deployments(SIM.client()).awaitStatus(vm.get("vm_uuid").asText(), "running");
    return vm;
  }

  private static Map<String, Object> details(JsonNode error) {
    Map<String, Object> out = new HashMap<>();
    error
        .get("detail")
        .get("details")
        .forEach(d -> out.put(d.get("field").asText(), d.get("value")));
    return out;
  }

  private static String envs(String vmUuid) {
    return "/api/v1/cvms/" + vmUuid + "/envs";
  }

  @Test
  void anOnChainApp_rotatingValuesWithTheSameKeys_needsNoOnChainStep() {
    String vm = deployOnChain().get("vm_uuid").asText();

    SimClient.Reply reply =
        SIM.client()
            .patch(
                envs(vm), Map.of("encrypted_env", "00".repeat(80), "env_keys", List.of("API_KEY")));

    assertThat(reply.status()).as(reply.text()).isEqualTo(202);
  }

  @Test
  void aKeySetChange_is465_listedPending_andGoesThroughOnceTheHashIsApproved() {
    String vm = deployOnChain().get("vm_uuid").asText();
    Map<String, Object> body =
        Map.of("encrypted_env", "00".repeat(80), "env_keys", List.of("API_KEY", "NEW_KEY"));

    SimClient.Reply refused = SIM.client().patch(envs(vm), body);

    assertThat(refused.status()).isEqualTo(465);
    Map<String, Object> details = details(refused.json());
    assertThat(details).containsKeys("compose_hash", "app_id", "device_id", "kms_info");
    assertThat(details).doesNotContainKey("commit_token");
    String hash = ((JsonNode) details.get("compose_hash")).asText();
    assertThat(((JsonNode) details.get("kms_info")).get("chain_id").asLong()).isEqualTo(8453);
    assertThat(((JsonNode) details.get("kms_info")).get("slug").asText()).isEqualTo("kms-sim-base");
    JsonNode pending = SIM.client().get("/api/v1/apps/" + CONTRACT + "/pending-updates").json();
    assertThat(pending.get("items").get(0).get("compose_hash").asText()).isEqualTo(hash);
    assertThat(pending.get("items").get(0).get("on_chain").asBoolean()).isFalse();
    JsonNode allowed =
        SIM.client()
            .post("/api/v1/apps/" + CONTRACT + "/is-allowed", Map.of("compose_hash", hash))
            .json();
    assertThat(allowed.get("compose_hash_allowed").asBoolean()).isFalse();

    SIM.client()
        .post("/_sim/apps/" + CONTRACT + "/chain/compose-hashes", Map.of("compose_hash", hash));

    assertThat(
            SIM.client()
                .post("/api/v1/apps/" + CONTRACT + "/is-allowed", Map.of("compose_hash", hash))
                .json()
                .get("is_allowed")
                .asBoolean())
        .isTrue();
    assertThat(SIM.client().patch(envs(vm), body).status()).isEqualTo(202);
    assertThat(
            SIM.client().get("/api/v1/apps/" + CONTRACT + "/pending-updates").json().get("items"))
        .isEmpty();
  }

  @Test
  void phaseTwo_verifiesTheTransaction_467ForAnUnknownOne_468ForAHashNotRegistered() {
    String vm = deployOnChain().get("vm_uuid").asText();
    Map<String, Object> body = new HashMap<>();
    body.put("encrypted_env", "00".repeat(80));
    body.put("env_keys", List.of("API_KEY", "NEW_KEY"));
    String hash =
        ((JsonNode) details(SIM.client().patch(envs(vm), body).json()).get("compose_hash"))
            .asText();
    body.put("compose_hash", hash);

    body.put("transaction_hash", "0x" + "ab".repeat(32));
    assertThat(SIM.client().patch(envs(vm), body).status()).isEqualTo(467);

    String otherTx =
        SIM.client()
            .post("/_sim/apps/" + CONTRACT + "/chain/devices", Map.of("node_id", 2))
            .json()
            .get("transaction_hash")
            .asText();
    body.put("transaction_hash", otherTx);
    assertThat(SIM.client().patch(envs(vm), body).status()).isEqualTo(468);

    String tx =
        SIM.client()
            .post("/_sim/apps/" + CONTRACT + "/chain/compose-hashes", Map.of("compose_hash", hash))
            .json()
            .get("transaction_hash")
            .asText();
    body.put("transaction_hash", tx);
    assertThat(SIM.client().patch(envs(vm), body).status()).isEqualTo(202);
  }

  @Test
  void thePrepareOnlyFlow_givesACommitToken_thatCommitUpdateRedeemsAfterTheTransaction() {
    String vm = deployOnChain().get("vm_uuid").asText();
    Map<String, Object> patch =
        Map.of("docker_compose_file", Deployments.COMPOSE + "  extra:\n    image: redis:7\n");

    SimClient.Reply prepared =
        SIM.client().send("PATCH", "/api/v1/cvms/" + vm, patch, Map.of("X-Prepare-Only", "true"));

    assertThat(prepared.status()).isEqualTo(465);
    Map<String, Object> details = details(prepared.json());
    assertThat(details)
        .containsKeys("commit_token", "commit_url", "api_commit_url", "onchain_status");
    String token = ((JsonNode) details.get("commit_token")).asText();
    String hash = ((JsonNode) details.get("compose_hash")).asText();
    Map<String, Object> commit = new HashMap<>();
    commit.put("token", token);
    commit.put("compose_hash", hash);
    commit.put("transaction_hash", "0x" + "ab".repeat(32));
    assertThat(SIM.client().post("/api/v1/cvms/" + vm + "/commit-update", commit).status())
        .isEqualTo(467);

    commit.put(
        "transaction_hash",
        SIM.client()
            .post("/_sim/apps/" + CONTRACT + "/chain/compose-hashes", Map.of("compose_hash", hash))
            .json()
            .get("transaction_hash")
            .asText());
    SimClient.Reply committed = SIM.client().post("/api/v1/cvms/" + vm + "/commit-update", commit);

    assertThat(committed.status()).as(committed.text()).isEqualTo(202);
    JsonNode cvm = new Deployments(SIM.client()).awaitStatus(vm, "running");
    assertThat(cvm.get("compose_hash").asText()).isEqualTo(hash);
  }

  @Test
  void aReplicaOnADeviceTheContractDoesNotAllow_is465_untilTheDeviceIsAdded() {
    String vm = deployOnChain().get("vm_uuid").asText();
    JsonNode allowlist = SIM.client().get("/api/v1/apps/" + CONTRACT + "/device-allowlist").json();
    assertThat(allowlist.get("is_onchain_kms").asBoolean()).isTrue();
    assertThat(allowlist.get("devices"))
        .extracting(d -> d.get("status").asText())
        .containsExactly("allowed", "not_allowed", "not_allowed");

    SimClient.Reply refused =
        SIM.client().post("/api/v1/cvms/" + vm + "/replicas", Map.of("node_id", 2));

    assertThat(refused.status()).isEqualTo(465);
    assertThat(((JsonNode) details(refused.json()).get("device_id")).asText())
        .isEqualTo(allowlist.get("devices").get(1).get("device_id").asText());

    SIM.client().post("/_sim/apps/" + CONTRACT + "/chain/devices", Map.of("node_id", 2));

    assertThat(SIM.client().post("/api/v1/cvms/" + vm + "/replicas", Map.of("node_id", 2)).status())
        .isEqualTo(200);
  }

  @Test
  void theKmsList_hasAnOnChainKmsPerChain_andAnOnChainAppsCvmNamesItsChain() {
    String vm = deployOnChain().get("vm_uuid").asText();

    JsonNode kms = SIM.client().get("/api/v1/kms?is_onchain=true").json();
    JsonNode cvm = SIM.client().get("/api/v1/cvms/" + vm).json();

    assertThat(kms.get("items"))
        .extracting(k -> k.get("slug").asText() + "@" + k.get("chain_id").asText())
        .containsExactly("kms-sim-base@8453", "kms-sim-ethereum@1");
    assertThat(cvm.get("kms_type").asText()).isEqualTo("base");
    assertThat(cvm.get("kms_info").get("chain_id").asLong()).isEqualTo(8453);
    assertThat(cvm.get("kms_info").get("dstack_app_address").asText()).isEqualTo("0x" + CONTRACT);
    JsonNode info = SIM.client().get("/api/v1/apps/" + CONTRACT + "/kms-info").json();
    assertThat(info.get("is_onchain_kms").asBoolean()).isTrue();
    assertThat(info.get("app_contract_address").asText()).isEqualTo("0x" + CONTRACT);
  }

  @Test
  void aPhalaKmsApp_isNotOnChain() {
    JsonNode vm =
        new Deployments(SIM.client())
            .deploy("plain-app", cloud.phala.operator.crypto.EnvSet.of(Map.of("API_KEY", "v")));

    JsonNode info =
        SIM.client().get("/api/v1/apps/" + vm.get("app_id").asText() + "/kms-info").json();

    assertThat(info.get("is_onchain_kms").asBoolean()).isFalse();
  }
}
