package cloud.phala.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crypto.EnvSet;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ErrorShapesTest {
  @RegisterExtension static final SimulatorExtension SIM = SimulatorExtension.instant();

  @Test
  void withoutAnApiKey_itIs401() {
    SimClient.Reply reply = SIM.client().withApiKey(null).get("/api/v1/cvms");

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.json().get("detail").asText()).isEqualTo("Not authenticated");
  }

  @Test
  void withAWrongApiKey_itIs401_alsoForTheTestHooks() {
    assertThat(SIM.client().withApiKey("phak_wrong").get("/api/v1/cvms").status()).isEqualTo(401);
    assertThat(SIM.client().withApiKey("phak_wrong").get("/_sim/cvms").status()).isEqualTo(401);
  }

  @Test
  void anUnknownCvm_isA404Envelope_atTheTopLevelAndUnderDetail() {
    JsonNode body = SIM.client().get("/api/v1/cvms/no-such-cvm").json();

    assertThat(SIM.client().get("/api/v1/cvms/no-such-cvm").status()).isEqualTo(404);
    assertThat(body.get("error_code").asText()).isEqualTo("ERR-03-001");
    assertThat(body.get("detail").get("error_code").asText()).isEqualTo("ERR-03-001");
    assertThat(body.get("detail").get("message").asText()).isEqualTo(body.get("message").asText());
    assertThat(body.get("details").get(0).get("field").asText()).isEqualTo("cvm_id");
  }

  @Test
  void aMissingRequiredField_isAFastApi422List() {
    SimClient.Reply reply = SIM.client().post("/api/v1/cvms", Map.of("app_id", "00".repeat(20)));

    assertThat(reply.status()).isEqualTo(422);
    JsonNode item = reply.json().get("detail").get(0);
    assertThat(item.get("type").asText()).isEqualTo("missing");
    assertThat(item.get("loc"))
        .extracting(JsonNode::asText)
        .containsExactly("body", "compose_hash");
    assertThat(item.get("msg").asText()).isEqualTo("Field required");
  }

  @Test
  void malformedJson_isAFastApi422() {
    SimClient.Reply reply = SIM.client().post("/api/v1/cvms/provision", "{not json");

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.json().get("detail").get(0).get("type").asText()).isEqualTo("json_invalid");
  }

  @Test
  void aCommitWithoutAProvision_isRefused() {
    SimClient.Reply reply =
        SIM.client()
            .post(
                "/api/v1/cvms", Map.of("app_id", "ab".repeat(20), "compose_hash", "00".repeat(32)));

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.json().get("detail").asText()).contains("Provision data not found");
  }

  @Test
  void aDuplicateName_isA409WithItsErrorCode() {
    new Deployments(SIM.client())
        .deploy("taken-name", EnvSet.builder().put("API_KEY", "x").build());

    SimClient.Reply reply =
        SIM.client()
            .post(
                "/api/v1/cvms/provision",
                Map.of(
                    "name",
                    "taken-name",
                    "compose_file",
                    Map.of("name", "", "docker_compose_file", "services: {}")));

    assertThat(reply.status()).isEqualTo(409);
    assertThat(reply.json().get("error_code").asText()).isEqualTo("ERR-01-004");
  }

  @Test
  void anEmptyCompose_isRefusedWith400() {
    SimClient.Reply reply =
        SIM.client()
            .post(
                "/api/v1/cvms/provision",
                Map.of("name", "empty-compose", "compose_file", Map.of("name", "")));

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("detail").asText()).contains("docker_compose_file");
  }

  @Test
  void unknownPathsAndMethods_are404And405() {
    assertThat(SIM.client().get("/api/v1/nothing-here").status()).isEqualTo(404);
    assertThat(SIM.client().send("PUT", "/api/v1/cvms/provision", Map.of(), Map.of()).status())
        .isEqualTo(405);
  }

  @Test
  void anOnChainKmsApp_changingEnvKeys_getsA465WithTheHashToRegister() {
    Map<String, Object> compose =
        Map.of(
            "name",
            "",
            "docker_compose_file",
            Deployments.COMPOSE,
            "allowed_envs",
            List.of("API_KEY"));
    JsonNode provisioned =
        SIM.client()
            .post(
                "/api/v1/cvms/provision",
                Map.of("name", "chain-app", "compose_file", compose, "kms", "base"))
            .json();
    assertThat(provisioned.get("app_id").isNull()).isTrue();
    String contract = "cd".repeat(20);
    JsonNode vm =
        SIM.client()
            .post(
                "/api/v1/cvms",
                Map.of(
                    "app_id", contract, "compose_hash", provisioned.get("compose_hash").asText()))
            .json();
    new Deployments(SIM.client()).awaitStatus(vm.get("vm_uuid").asText(), "running");

    SimClient.Reply reply =
        SIM.client()
            .patch(
                "/api/v1/cvms/" + vm.get("vm_uuid").asText() + "/envs",
                Map.of(
                    "encrypted_env", "00".repeat(80), "env_keys", List.of("API_KEY", "NEW_KEY")));

    assertThat(reply.status()).isEqualTo(465);
    assertThat(reply.json().get("error_code").asText()).isEqualTo("ERR-01-005");
    assertThat(reply.json().get("detail").get("details"))
        .extracting(d -> d.get("field").asText())
        .contains("compose_hash", "app_id", "device_id", "kms_info");
  }
}
