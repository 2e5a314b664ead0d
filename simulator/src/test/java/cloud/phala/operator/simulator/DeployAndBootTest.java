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

class DeployAndBootTest {
  @RegisterExtension static final SimulatorExtension SIM = SimulatorExtension.instant();

  @Test
  void aCommittedCvm_bootsWithExactlyTheEnvTheClientSealed() {
    Deployments deployments = new Deployments(SIM.client());
    EnvSet env =
        EnvSet.builder().put("API_KEY", "s3cr3t").put("GREETING", "hello ünïcødé\nline2").build();

    JsonNode vm = deployments.deploy("demo-app", env);
    deployments.awaitStatus(vm.get("vm_uuid").asText(), "running");

    assertThat(deployments.bootedEnv(vm.get("vm_uuid").asText()))
        .isEqualTo(Map.of("API_KEY", "s3cr3t", "GREETING", "hello ünïcødé\nline2"));
  }

  @Test
  void keysMissingFromAllowedEnvs_areDroppedAtBoot() {
    Deployments deployments = new Deployments(SIM.client());
    JsonNode provisioned = deployments.provision("filtered-app", List.of("API_KEY"));
    EnvSet env = EnvSet.builder().put("API_KEY", "kept").put("SNEAKY", "dropped").build();
    String sealed =
        EnvSealer.seal(
                EnvPublicKey.fromHex(provisioned.get("app_env_encrypt_pubkey").asText()), env)
            .toHex();

    JsonNode vm = deployments.commit(provisioned, sealed);
    deployments.awaitStatus(vm.get("vm_uuid").asText(), "running");

    assertThat(deployments.bootedEnv(vm.get("vm_uuid").asText()))
        .isEqualTo(Map.of("API_KEY", "kept"));
  }

  @Test
  void aBlobWithOneFlippedByte_failsTheBootInsteadOfRunningWithAWrongEnv() {
    Deployments deployments = new Deployments(SIM.client());
    JsonNode provisioned = deployments.provision("tampered-app", List.of("API_KEY"));
    String sealed =
        EnvSealer.seal(
                EnvPublicKey.fromHex(provisioned.get("app_env_encrypt_pubkey").asText()),
                EnvSet.builder().put("API_KEY", "x").build())
            .toHex();
    char last = sealed.charAt(sealed.length() - 1);
    String tampered = sealed.substring(0, sealed.length() - 1) + (last == '0' ? '1' : '0');

    JsonNode vm = deployments.commit(provisioned, tampered);
    JsonNode failed = deployments.awaitStatus(vm.get("vm_uuid").asText(), "error");

    JsonNode state =
        SIM.client().get("/api/v1/cvms/" + vm.get("vm_uuid").asText() + "/state").json();
    assertThat(state.get("boot_error").asText()).contains("decrypt");
    assertThat(failed.get("status").asText()).isEqualTo("error");
    assertThat(deployments.bootedEnv(vm.get("vm_uuid").asText())).isEmpty();
  }

  @Test
  void noEnv_bootsWithNoEnv() {
    Deployments deployments = new Deployments(SIM.client());
    JsonNode provisioned = deployments.provision("bare-app", List.of());

    JsonNode vm = deployments.commit(provisioned, null);

    deployments.awaitStatus(vm.get("vm_uuid").asText(), "running");
    assertThat(deployments.bootedEnv(vm.get("vm_uuid").asText())).isEmpty();
  }

  @Test
  void provision_returnsTheAppsKeyAndAComposeHashThatCommitAccepts() {
    Deployments deployments = new Deployments(SIM.client());

    JsonNode provisioned = deployments.provision("keyed-app", List.of("API_KEY"));

    assertThat(provisioned.get("app_id").asText()).matches("[0-9a-f]{40}");
    assertThat(provisioned.get("app_env_encrypt_pubkey").asText()).matches("[0-9a-f]{64}");
    assertThat(provisioned.get("compose_hash").asText()).matches("[0-9a-f]{64}");
    assertThat(provisioned.get("kms_info").get("k256_pubkey").asText())
        .matches("0[23][0-9a-f]{64}");
  }
}
