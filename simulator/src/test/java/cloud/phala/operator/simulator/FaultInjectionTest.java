package cloud.phala.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FaultInjectionTest {
  @RegisterExtension static final SimulatorExtension SIM = SimulatorExtension.instant();

  private final Deployments deployments = new Deployments(SIM.client());

  @Test
  void a5xxFault_withACount_failsThatManyRequestsThenStops() {
    SIM.client()
        .post(
            "/_sim/faults",
            Map.of("kind", "error", "status", 503, "path", "/api/v1/cvms", "count", 2));

    assertThat(SIM.client().get("/api/v1/cvms").status()).isEqualTo(503);
    assertThat(SIM.client().get("/api/v1/cvms").status()).isEqualTo(503);
    assertThat(SIM.client().get("/api/v1/cvms").status()).isEqualTo(200);
    assertThat(SIM.client().get("/_sim/faults").json()).isEmpty();
  }

  @Test
  void aRateLimit_answers429WithRetryAfter() {
    SIM.client().post("/_sim/faults", Map.of("kind", "rate_limit", "retry_after_s", 3, "count", 1));

    SimClient.Reply reply = SIM.client().get("/api/v1/cvms");

    assertThat(reply.status()).isEqualTo(429);
    assertThat(reply.headers().get("retry-after")).containsExactly("3");
  }

  @Test
  void aBusyFault_scopedToOneCvm_leavesTheOthersAlone() {
    JsonNode one = deployments.deploy("busy-one", EnvSet.builder().put("API_KEY", "x").build());
    JsonNode two = deployments.deploy("busy-two", EnvSet.builder().put("API_KEY", "x").build());
    SIM.client()
        .post("/_sim/faults", Map.of("kind", "busy", "cvm_id", one.get("vm_uuid").asText()));

    assertThat(SIM.client().get("/api/v1/cvms/" + one.get("vm_uuid").asText()).status())
        .isEqualTo(409);
    assertThat(SIM.client().get("/api/v1/cvms/app_" + one.get("app_id").asText()).status())
        .isEqualTo(409);
    assertThat(SIM.client().get("/api/v1/cvms/" + two.get("vm_uuid").asText()).status())
        .isEqualTo(200);
  }

  @Test
  void aDroppedConnection_givesTheClientNoAnswer() {
    SIM.client().post("/_sim/faults", Map.of("kind", "drop_connection", "count", 1));
    Map<String, Object> body = Map.of("app_id", "ab".repeat(20), "compose_hash", "00".repeat(32));

    // A POST: the JDK client quietly retries an idempotent GET on a fresh connection.
    assertThatThrownBy(() -> SIM.client().post("/api/v1/cvms", body))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(SIM.client().post("/api/v1/cvms", body).status()).isEqualTo(422);
  }

  @Test
  void aLostResponse_carriesTheRequestOut_butGivesNoAnswer() {
    Deployments deployments = new Deployments(SIM.client());
    JsonNode provisioned = deployments.provision("lost-answer", List.of());
    SIM.client().post("/_sim/faults", Map.of("kind", "lose_response", "count", 1));

    assertThatThrownBy(() -> deployments.commit(provisioned, null))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(
            SIM.client().get("/api/v1/apps/" + provisioned.get("app_id").asText() + "/cvms").json())
        .as("the CVM was created although its creator never heard so")
        .hasSize(1);
  }

  @Test
  void anErrorAfterApply_carriesTheEnvUpdateOut_thenAnswersTheGivenStatus() {
    JsonNode vm = deployments.deploy("after-apply", EnvSet.builder().put("API_KEY", "x").build());
    String id = vm.get("vm_uuid").asText();
    deployments.awaitStatus(id, "running");
    SIM.client()
        .post(
            "/_sim/faults",
            Map.of("kind", "error_after_apply", "status", 502, "path", ".*/envs", "count", 1));
    String sealed =
        EnvSealer.seal(
                EnvPublicKey.fromHex(vm.get("encrypted_env_pubkey").asText()),
                EnvSet.builder().put("API_KEY", "y").build())
            .toHex();

    SimClient.Reply reply =
        SIM.client().patch("/api/v1/cvms/" + id + "/envs", Map.of("encrypted_env", sealed));

    assertThat(reply.status()).isEqualTo(502);
    assertThat(reply.text()).doesNotContain("correlation_id");
    deployments.awaitStatus(id, "running");
    assertThat(deployments.bootedEnv(id))
        .as("the update was applied although its sender was told 502")
        .isEqualTo(Map.of("API_KEY", "y"));
  }

  @Test
  void anErrorAfterApply_withoutAStatus_createsTheReplica_andAnswers504() {
    JsonNode vm =
        deployments.deploy("after-apply-rep", EnvSet.builder().put("API_KEY", "x").build());
    String appId = vm.get("app_id").asText();
    deployments.awaitStatus(vm.get("vm_uuid").asText(), "running");
    JsonNode rule =
        SIM.client()
            .post(
                "/_sim/faults",
                Map.of("kind", "error_after_apply", "path", ".*/replicas", "count", 1))
            .json();

    SimClient.Reply reply =
        SIM.client().post("/api/v1/cvms/" + vm.get("vm_uuid").asText() + "/replicas", null);

    assertThat(rule.get("status").asInt()).isEqualTo(504);
    assertThat(reply.status()).isEqualTo(504);
    assertThat(SIM.client().get("/api/v1/apps/" + appId + "/cvms").json())
        .as("the replica exists although its creator was told 504")
        .hasSize(2);
  }

  @Test
  void addedLatency_delaysTheAnswer() {
    SIM.client().post("/_sim/faults", Map.of("kind", "latency", "delay_ms", 300, "count", 1));

    long start = System.nanoTime();
    SimClient.Reply reply = SIM.client().get("/api/v1/cvms");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void aBootFailure_leavesTheCvmInErrorWithABootError() {
    SIM.client().post("/_sim/faults", Map.of("kind", "boot_fail", "count", 1));

    JsonNode vm = deployments.deploy("boot-fail", EnvSet.builder().put("API_KEY", "x").build());

    deployments.awaitStatus(vm.get("vm_uuid").asText(), "error");
    assertThat(
            SIM.client()
                .get("/api/v1/cvms/" + vm.get("vm_uuid").asText() + "/state")
                .json()
                .get("boot_error")
                .asText())
        .contains("Boot failed");
  }

  @Test
  void aHangingBoot_staysStartingAndInProgress() {
    SIM.client().post("/_sim/faults", Map.of("kind", "boot_hang"));

    JsonNode vm = deployments.deploy("boot-hang", EnvSet.builder().put("API_KEY", "x").build());

    JsonNode cvm = SIM.client().get("/api/v1/cvms/" + vm.get("vm_uuid").asText()).json();
    assertThat(cvm.get("status").asText()).isEqualTo("starting");
    assertThat(cvm.get("in_progress").asBoolean()).isTrue();
  }

  @Test
  void aRate_appliesTheFaultToAboutThatShareOfRequests() {
    SIM.client()
        .post(
            "/_sim/faults",
            Map.of("kind", "error", "status", 500, "rate", 0.2, "path", "/api/v1/cvms"));

    int failed = 0;
    for (int i = 0; i < 300; i++) {
      failed += SIM.client().get("/api/v1/cvms").status() == 500 ? 1 : 0;
    }

    assertThat(failed).isBetween(30, 90);
  }

  @Test
  void faultsCanBeListedAndRemoved_andResetClearsEverything() {
    String id =
        SIM.client().post("/_sim/faults", Map.of("kind", "error")).json().get("id").asText();

    assertThat(SIM.client().get("/_sim/faults").json()).hasSize(1);
    assertThat(SIM.client().delete("/_sim/faults/" + id).status()).isEqualTo(204);
    assertThat(SIM.client().get("/_sim/faults").json()).isEmpty();
    assertThat(SIM.client().post("/_sim/faults", Map.of("kind", "nonsense")).status())
        .isEqualTo(422);
  }

  @Test
  void theRequestLog_recordsMethodPathStatusAndClient_neverBodiesNorTheKey() {
    deployments.deploy("logged-app", EnvSet.builder().put("API_KEY", "canary-request-log").build());

    String log = SIM.client().get("/_sim/requests").text();

    assertThat(log)
        .contains("\"method\":\"POST\"", "\"path\":\"/api/v1/cvms/provision\"", "\"status\":200")
        .contains("\"client\":\"Java-http-client");
    assertThat(log)
        .doesNotContain("canary-request-log")
        .doesNotContain("encrypted_env")
        .doesNotContain(SIM.simulator().apiKey());
  }
}
