package cloud.phala.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deploys apps through the API the way the official clients do, for the simulator's tests. */
final class Deployments {
  static final String COMPOSE =
      "services:\n  app:\n    image: nginx:alpine\n    environment:\n      - API_KEY=${API_KEY}\n";

  private final SimClient client;

  Deployments(SimClient client) {
    this.client = client;
  }

  JsonNode provision(String name, List<String> allowedEnvs) {
    Map<String, Object> compose = new LinkedHashMap<>();
    compose.put("name", "");
    compose.put("docker_compose_file", COMPOSE);
    compose.put("allowed_envs", allowedEnvs);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("compose_file", compose);
    body.put("instance_type", "tdx.small");
    body.put("listed", false);
    body.put("kms", "phala");
    SimClient.Reply reply = client.post("/api/v1/cvms/provision", body);
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    return reply.json();
  }

  /** Provision + commit with the env sealed to the key provision returned; returns the VM. */
  JsonNode deploy(String name, EnvSet env) {
    JsonNode provisioned = provision(name, env.keys());
    String sealed =
        EnvSealer.seal(
                EnvPublicKey.fromHex(provisioned.get("app_env_encrypt_pubkey").asText()), env)
            .toHex();
    return commit(provisioned, sealed);
  }

  JsonNode commit(JsonNode provisioned, String encryptedEnv) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("app_id", provisioned.get("app_id").asText());
    body.put("compose_hash", provisioned.get("compose_hash").asText());
    body.put("encrypted_env", encryptedEnv);
    SimClient.Reply reply = client.post("/api/v1/cvms", body);
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    return reply.json();
  }

  /** Waits until the CVM is {@code status} with no operation in progress. */
  JsonNode awaitStatus(String cvmId, String status) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> client.get("/api/v1/cvms/" + cvmId).json(),
            cvm ->
                status.equals(cvm.path("status").asText()) && !cvm.path("in_progress").asBoolean());
  }

  /** The env the guest booted with, from the test hook. */
  Map<String, String> bootedEnv(String cvmId) {
    Map<String, String> env = new LinkedHashMap<>();
    client
        .get("/_sim/cvms/" + cvmId + "/env")
        .json()
        .get("env")
        .forEach(e -> env.put(e.get("key").asText(), e.get("value").asText()));
    return env;
  }

  List<String> statusesOf(String cvmId) {
    return new ArrayList<>(
        List.of(client.get("/api/v1/cvms/" + cvmId).json().path("status").asText()));
  }
}
