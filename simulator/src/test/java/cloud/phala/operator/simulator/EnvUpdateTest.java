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

class EnvUpdateTest {
  @RegisterExtension
  static final SimulatorExtension SIM =
      new SimulatorExtension(Duration.ofMillis(400), Duration.ofMillis(400));

  private final Deployments deployments = new Deployments(SIM.client());

  private JsonNode runningApp(EnvSet env) {
    JsonNode vm = deployments.deploy("env-app", env);
    deployments.awaitStatus(vm.get("vm_uuid").asText(), "running");
    return vm;
  }

  private static String seal(JsonNode vm, EnvSet env) {
    return EnvSealer.seal(EnvPublicKey.fromHex(vm.get("encrypted_env_pubkey").asText()), env)
        .toHex();
  }

  @Test
  void anEnvUpdate_isAcceptedWith202_restartsTheCvm_andBootsTheNewEnv() {
    JsonNode vm = runningApp(EnvSet.builder().put("API_KEY", "old").build());
    String id = vm.get("vm_uuid").asText();
    EnvSet rotated = EnvSet.builder().put("API_KEY", "new").build();

    SimClient.Reply reply =
        SIM.client()
            .patch(
                "/api/v1/cvms/" + id + "/envs",
                Map.of("encrypted_env", seal(vm, rotated), "env_keys", List.of("API_KEY")));

    assertThat(reply.status()).isEqualTo(202);
    assertThat(reply.json().get("status").asText()).isEqualTo("in_progress");
    assertThat(reply.json().get("correlation_id").asText()).isNotBlank();
    assertThat(reply.json().get("allowed_envs_changed").asBoolean()).isFalse();
    JsonNode during = SIM.client().get("/api/v1/cvms/" + id).json();
    assertThat(during.get("status").asText()).isEqualTo("shutting_down");
    assertThat(during.get("in_progress").asBoolean()).isTrue();
    deployments.awaitStatus(id, "running");
    assertThat(deployments.bootedEnv(id)).isEqualTo(Map.of("API_KEY", "new"));
  }

  @Test
  void aSecondChangeWhileTheCvmRestarts_isRefusedWith409WithoutAnErrorCode() {
    JsonNode vm = runningApp(EnvSet.builder().put("API_KEY", "old").build());
    String id = vm.get("vm_uuid").asText();
    String blob = seal(vm, EnvSet.builder().put("API_KEY", "new").build());
    SIM.client().patch("/api/v1/cvms/" + id + "/envs", Map.of("encrypted_env", blob));

    SimClient.Reply second =
        SIM.client().patch("/api/v1/cvms/" + id + "/envs", Map.of("encrypted_env", blob));

    assertThat(second.status()).isEqualTo(409);
    assertThat(second.json().get("detail").isTextual()).isTrue();
    assertThat(second.json().has("error_code")).isFalse();
    assertThat(
            SIM.client().post("/api/v1/cvms/" + id + "/restart", Map.of("force", false)).status())
        .isEqualTo(409);
  }

  @Test
  void newEnvKeys_changeAllowedEnvs_andAreReportedAsChanged() {
    JsonNode vm = runningApp(EnvSet.builder().put("API_KEY", "a").build());
    String id = vm.get("vm_uuid").asText();
    EnvSet wider = EnvSet.builder().put("API_KEY", "a").put("EXTRA", "b").build();

    SimClient.Reply reply =
        SIM.client()
            .patch(
                "/api/v1/cvms/" + id + "/envs",
                Map.of("encrypted_env", seal(vm, wider), "env_keys", wider.keys()));

    assertThat(reply.json().get("allowed_envs_changed").asBoolean()).isTrue();
    deployments.awaitStatus(id, "running");
    assertThat(deployments.bootedEnv(id)).isEqualTo(Map.of("API_KEY", "a", "EXTRA", "b"));
    assertThat(SIM.client().get("/api/v1/cvms/" + id + "/compose_file").json().get("allowed_envs"))
        .extracting(JsonNode::asText)
        .containsExactly("API_KEY", "EXTRA");
  }

  @Test
  void anUpdateWithoutEnvKeys_keepsAllowedEnvs_soNewKeysAreDropped() {
    JsonNode vm = runningApp(EnvSet.builder().put("API_KEY", "a").build());
    String id = vm.get("vm_uuid").asText();
    EnvSet wider = EnvSet.builder().put("API_KEY", "b").put("EXTRA", "dropped").build();

    SIM.client().patch("/api/v1/cvms/" + id + "/envs", Map.of("encrypted_env", seal(vm, wider)));

    deployments.awaitStatus(id, "running");
    assertThat(deployments.bootedEnv(id)).isEqualTo(Map.of("API_KEY", "b"));
  }

  @Test
  void aSetOverTheGuestLimit_failsTheBoot() {
    JsonNode vm = runningApp(EnvSet.builder().put("API_KEY", "a").build());
    String id = vm.get("vm_uuid").asText();
    // 1025 items: the guest counts every item, even the ones it would drop.
    StringBuilder json = new StringBuilder("{\"env\":[");
    for (int i = 0; i <= 1024; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"key\":\"API_KEY\",\"value\":\"")
          .append(i)
          .append("\"}");
    }
    String blob =
        SealedBlobs.sealRawJson(
            vm.get("encrypted_env_pubkey").asText(), json.append("]}").toString());

    SIM.client().patch("/api/v1/cvms/" + id + "/envs", Map.of("encrypted_env", blob));

    JsonNode failed = deployments.awaitStatus(id, "error");
    assertThat(failed.get("status").asText()).isEqualTo("error");
    assertThat(SIM.client().get("/api/v1/cvms/" + id + "/state").json().get("boot_error").asText())
        .contains("Too many env vars");
  }

  @Test
  void encryptedEnvThatIsNotHex_isAFastApiValidationError() {
    JsonNode vm = runningApp(EnvSet.builder().put("API_KEY", "a").build());

    SimClient.Reply reply =
        SIM.client()
            .patch(
                "/api/v1/cvms/" + vm.get("vm_uuid").asText() + "/envs",
                Map.of("encrypted_env", "not-hex!"));

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.json().get("detail").get(0).get("loc"))
        .extracting(JsonNode::asText)
        .containsExactly("body", "encrypted_env");
  }
}
