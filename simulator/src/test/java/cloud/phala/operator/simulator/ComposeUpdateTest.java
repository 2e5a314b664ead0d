package cloud.phala.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ComposeUpdateTest {
  @RegisterExtension static final SimulatorExtension SIM = SimulatorExtension.instant();

  private final Deployments deployments = new Deployments(SIM.client());

  private JsonNode running() {
    JsonNode vm = deployments.deploy("compose-app", EnvSet.builder().put("API_KEY", "a").build());
    deployments.awaitStatus(vm.get("vm_uuid").asText(), "running");
    return vm;
  }

  @Test
  void twoPhaseComposeUpdate_withUpdateEnvVars_changesComposeAllowedEnvsAndEnv() {
    JsonNode vm = running();
    String id = vm.get("vm_uuid").asText();
    String newCompose = Deployments.COMPOSE + "      - EXTRA=${EXTRA}\n";
    JsonNode phaseOne =
        SIM.client()
            .post(
                "/api/v1/cvms/" + id + "/compose_file/provision",
                Map.of(
                    "name",
                    "",
                    "docker_compose_file",
                    newCompose,
                    "allowed_envs",
                    List.of("API_KEY", "EXTRA"),
                    "update_env_vars",
                    true))
            .json();
    EnvSet env = EnvSet.builder().put("API_KEY", "b").put("EXTRA", "c").build();
    String sealed =
        EnvSealer.seal(EnvPublicKey.fromHex(vm.get("encrypted_env_pubkey").asText()), env).toHex();

    SimClient.Reply phaseTwo =
        SIM.client()
            .patch(
                "/api/v1/cvms/" + id + "/compose_file",
                Map.of(
                    "compose_hash",
                    phaseOne.get("compose_hash").asText(),
                    "encrypted_env",
                    sealed,
                    "env_keys",
                    env.keys(),
                    "update_env_vars",
                    true));

    assertThat(phaseTwo.status()).isEqualTo(202);
    deployments.awaitStatus(id, "running");
    assertThat(deployments.bootedEnv(id)).isEqualTo(Map.of("API_KEY", "b", "EXTRA", "c"));
    JsonNode current = SIM.client().get("/api/v1/cvms/" + id).json();
    assertThat(current.get("compose_hash").asText())
        .isEqualTo(phaseOne.get("compose_hash").asText());
    assertThat(current.get("compose_file").get("docker_compose_file").asText())
        .isEqualTo(newCompose);
  }

  @Test
  void withoutUpdateEnvVars_theAllowedEnvsStayAsTheyWere() {
    JsonNode vm = running();
    String id = vm.get("vm_uuid").asText();
    JsonNode phaseOne =
        SIM.client()
            .post(
                "/api/v1/cvms/" + id + "/compose_file/provision",
                Map.of(
                    "name",
                    "",
                    "docker_compose_file",
                    Deployments.COMPOSE,
                    "allowed_envs",
                    List.of("API_KEY", "EXTRA")))
            .json();
    EnvSet env = EnvSet.builder().put("API_KEY", "b").put("EXTRA", "dropped").build();
    String sealed =
        EnvSealer.seal(EnvPublicKey.fromHex(vm.get("encrypted_env_pubkey").asText()), env).toHex();

    SIM.client()
        .patch(
            "/api/v1/cvms/" + id + "/compose_file",
            Map.of(
                "compose_hash",
                phaseOne.get("compose_hash").asText(),
                "encrypted_env",
                sealed,
                "env_keys",
                env.keys()));

    deployments.awaitStatus(id, "running");
    assertThat(deployments.bootedEnv(id)).isEqualTo(Map.of("API_KEY", "b"));
  }

  @Test
  void phaseTwoWithAnUnprovisionedHash_isRefused() {
    JsonNode vm = running();

    SimClient.Reply reply =
        SIM.client()
            .patch(
                "/api/v1/cvms/" + vm.get("vm_uuid").asText() + "/compose_file",
                Map.of("compose_hash", "00".repeat(32)));

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("error_code").asText()).isEqualTo("ERR-01-006");
  }

  @Test
  void dockerComposeAsYaml_andThePreLaunchScriptAsText_areUpdated() {
    JsonNode vm = running();
    String id = vm.get("vm_uuid").asText();

    SimClient.Reply compose =
        SIM.client()
            .send(
                "PATCH",
                "/api/v1/cvms/" + id + "/docker-compose",
                "services: {}\n",
                Map.of("Content-Type", "text/yaml"));
    deployments.awaitStatus(id, "running");
    SimClient.Reply script =
        SIM.client()
            .send(
                "PATCH",
                "/api/v1/cvms/" + id + "/pre-launch-script",
                "#!/bin/bash\necho hi\n",
                Map.of("Content-Type", "text/plain"));
    deployments.awaitStatus(id, "running");

    assertThat(compose.status()).isEqualTo(202);
    assertThat(script.status()).isEqualTo(202);
    assertThat(SIM.client().get("/api/v1/cvms/" + id + "/pre-launch-script").json().asText())
        .isEqualTo("#!/bin/bash\necho hi\n");
    assertThat(
            SIM.client()
                .get("/api/v1/cvms/" + id + "/compose_file")
                .json()
                .get("docker_compose_file")
                .asText())
        .isEqualTo("services: {}\n");
  }

  @Test
  void theUnifiedPatch_changesSeveralFieldsInOneRestart() {
    JsonNode vm = running();
    String id = vm.get("vm_uuid").asText();
    EnvSet env = EnvSet.builder().put("API_KEY", "z").build();
    String sealed =
        EnvSealer.seal(EnvPublicKey.fromHex(vm.get("encrypted_env_pubkey").asText()), env).toHex();

    SimClient.Reply reply =
        SIM.client()
            .patch(
                "/api/v1/cvms/" + id,
                Map.of(
                    "docker_compose_file",
                    "services: {}\n",
                    "allowed_envs",
                    List.of("API_KEY"),
                    "encrypted_env",
                    sealed));

    assertThat(reply.status()).isEqualTo(202);
    assertThat(reply.json().get("correlation_id").asText()).isNotBlank();
    deployments.awaitStatus(id, "running");
    assertThat(deployments.bootedEnv(id)).isEqualTo(Map.of("API_KEY", "z"));
  }
}
