package cloud.phala.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An app's revision history ({@code GET /apps/{app_id}/revisions[/{revision_id}]}) and redeploying
 * a revision to a CVM ({@code POST /cvms/{cvm_id}/revisions/{revision_id}/redeploy}). Every answer
 * is checked against the official OpenAPI document by the extension.
 */
class RevisionsTest {
  @RegisterExtension
  static final SimulatorExtension SIM =
      new SimulatorExtension(Duration.ofMillis(200), Duration.ofMillis(200));

  private final SimClient client = SIM.client();
  private final Deployments deployments = new Deployments(client);

  @Test
  void eachDeployUpdateAndRestart_isARevision_listedNewestFirst_withWhatTheCvmWasGiven() {
    JsonNode vm = running("history-app", EnvSet.builder().put("API_KEY", "first").build());
    String id = vm.get("vm_uuid").asText();
    String appId = vm.get("app_id").asText();
    String secondBlob = seal(vm, EnvSet.builder().put("API_KEY", "b").put("EXTRA", "c").build());
    accepted(
        client.patch(
            "/api/v1/cvms/" + id + "/envs",
            Map.of("encrypted_env", secondBlob, "env_keys", List.of("API_KEY", "EXTRA"))));
    String updatedHash = deployments.awaitStatus(id, "running").get("compose_hash").asText();
    assertThat(client.post("/api/v1/cvms/" + id + "/restart", Map.of("force", false)).status())
        .isEqualTo(200);
    deployments.awaitStatus(id, "running");
    JsonNode replica = client.post("/api/v1/cvms/" + id + "/replicas", null).json();

    JsonNode list = ok(client.get("/api/v1/apps/" + appId + "/revisions"));

    assertThat(list.get("total").asInt()).isEqualTo(4);
    assertThat(list.get("page").asInt()).isEqualTo(1);
    assertThat(list.get("page_size").asInt()).isEqualTo(50);
    assertThat(list.get("total_pages").asInt()).isEqualTo(1);
    List<JsonNode> revisions = items(list);
    assertThat(revisions)
        .extracting(r -> r.get("operation_type").asText() + " " + r.get("vm_uuid").asText())
        .containsExactly(
            "deploy " + replica.get("vm_uuid").asText(),
            "restart " + id,
            "update " + id,
            "deploy " + id);
    assertThat(revisions).allMatch(r -> r.get("app_id").asText().equals(appId));
    assertThat(revisions).extracting(r -> r.get("revision_id").asText()).doesNotHaveDuplicates();
    JsonNode update = revisions.get(2);
    assertThat(update.get("compose_hash").asText()).isEqualTo(updatedHash);
    assertThat(update.get("cvm").get("name").asText()).isEqualTo(vm.get("name").asText());

    JsonNode detail =
        ok(client.get("/api/v1/apps/" + appId + "/revisions/" + revision(update))).deepCopy();
    assertThat(detail.get("encrypted_env").asText()).isEqualTo(secondBlob);
    assertThat(detail.get("compose_file").get("allowed_envs"))
        .extracting(JsonNode::asText)
        .containsExactly("API_KEY", "EXTRA");
    assertThat(detail.get("compose_file").get("docker_compose_file").asText())
        .isEqualTo(Deployments.COMPOSE);
    assertThat(detail.get("user_config").isTextual()).isTrue();
    JsonNode raw =
        ok(
            client.get(
                "/api/v1/apps/"
                    + appId
                    + "/revisions/"
                    + revision(update)
                    + "?raw_compose_file=true"));
    assertThat(raw.get("compose_file").isTextual()).isTrue();
    assertThat(sha256(raw.get("compose_file").asText()))
        .as("the raw compose is the text the compose hash is taken of")
        .isEqualTo(updatedHash);
  }

  @Test
  void theHistory_pagesNewestFirst_andRefusesBadQueriesAndUnknownApps() {
    JsonNode vm = running("paged-app", EnvSet.builder().put("API_KEY", "a").build());
    String id = vm.get("vm_uuid").asText();
    for (int i = 0; i < 2; i++) {
      client.post("/api/v1/cvms/" + id + "/restart", Map.of("force", false));
      deployments.awaitStatus(id, "running");
    }
    String path = "/api/v1/apps/" + vm.get("app_id").asText() + "/revisions";

    JsonNode second = ok(client.get(path + "?page=2&page_size=2"));

    assertThat(second.get("total").asInt()).isEqualTo(3);
    assertThat(second.get("total_pages").asInt()).isEqualTo(2);
    assertThat(items(second))
        .extracting(r -> r.get("operation_type").asText())
        .containsExactly("deploy");
    assertThat(items(ok(client.get(path + "?page=3&page_size=2")))).isEmpty();
    assertThat(client.get(path + "?page_size=1001").status()).isEqualTo(422);
    assertThat(client.get(path + "?page=0").status()).isEqualTo(422);
    assertThat(client.get(path + "/nothing?raw_compose_file=maybe").status()).isEqualTo(422);
    SimClient.Reply unknownApp = client.get("/api/v1/apps/" + "0".repeat(40) + "/revisions");
    assertThat(unknownApp.status()).isEqualTo(404);
    assertThat(unknownApp.json().get("detail").isTextual()).isTrue();
    assertThat(client.get(path + "/nothing").status()).isEqualTo(404);
  }

  @Test
  void redeploy_restartsTheCvmOnTheRevisionsComposeAndSealedEnv_andIsRecorded() {
    JsonNode vm = running("redeploy-app", EnvSet.builder().put("API_KEY", "first").build());
    String id = vm.get("vm_uuid").asText();
    String appId = vm.get("app_id").asText();
    String firstHash = client.get("/api/v1/cvms/" + id).json().get("compose_hash").asText();
    String first = revision(items(ok(client.get("/api/v1/apps/" + appId + "/revisions"))).get(0));
    accepted(
        client.patch(
            "/api/v1/cvms/" + id + "/envs",
            Map.of(
                "encrypted_env",
                seal(vm, EnvSet.builder().put("API_KEY", "second").put("MORE", "x").build()),
                "env_keys",
                List.of("API_KEY", "MORE"))));
    deployments.awaitStatus(id, "running");
    assertThat(deployments.bootedEnv(id)).containsEntry("API_KEY", "second");

    SimClient.Reply reply =
        client.post("/api/v1/cvms/" + id + "/revisions/" + first + "/redeploy", null);

    assertThat(reply.status()).isEqualTo(202);
    assertThat(reply.json().get("correlation_id").asText()).isNotBlank();
    JsonNode during = client.get("/api/v1/cvms/" + id).json();
    assertThat(during.get("in_progress").asBoolean()).isTrue();
    JsonNode after = deployments.awaitStatus(id, "running");
    assertThat(deployments.bootedEnv(id)).isEqualTo(Map.of("API_KEY", "first"));
    assertThat(after.get("compose_hash").asText()).isEqualTo(firstHash);
    assertThat(client.get("/api/v1/cvms/" + id + "/compose_file").json().get("allowed_envs"))
        .extracting(JsonNode::asText)
        .containsExactly("API_KEY");
    JsonNode newest = items(ok(client.get("/api/v1/apps/" + appId + "/revisions"))).get(0);
    assertThat(newest.get("operation_type").asText()).isEqualTo("redeploy");
    assertThat(newest.get("compose_hash").asText()).isEqualTo(firstHash);
  }

  @Test
  void redeploy_findsOnlyARevisionOfTheCvmsOwnApp_andWaitsForABusyCvm() {
    JsonNode mine = running("mine-app", EnvSet.builder().put("API_KEY", "mine").build());
    JsonNode theirs = running("their-app", EnvSet.builder().put("API_KEY", "theirs").build());
    String id = mine.get("vm_uuid").asText();
    String mineRevision =
        revision(
            items(ok(client.get("/api/v1/apps/" + mine.get("app_id").asText() + "/revisions")))
                .get(0));
    String theirRevision =
        revision(
            items(ok(client.get("/api/v1/apps/" + theirs.get("app_id").asText() + "/revisions")))
                .get(0));

    SimClient.Reply foreign =
        client.post("/api/v1/cvms/" + id + "/revisions/" + theirRevision + "/redeploy", null);
    SimClient.Reply detailOfForeign =
        client.get("/api/v1/apps/" + mine.get("app_id").asText() + "/revisions/" + theirRevision);

    assertThat(foreign.status()).isEqualTo(404);
    assertThat(detailOfForeign.status()).isEqualTo(404);
    assertThat(deployments.bootedEnv(id)).isEqualTo(Map.of("API_KEY", "mine"));
    assertThat(
            client
                .post("/api/v1/cvms/cvm_nothing/revisions/" + mineRevision + "/redeploy", null)
                .json()
                .get("detail")
                .get("error_code")
                .asText())
        .isEqualTo("ERR-03-001");
    accepted(client.post("/api/v1/cvms/" + id + "/revisions/" + mineRevision + "/redeploy", null));
    assertThat(
            client
                .post("/api/v1/cvms/" + id + "/revisions/" + mineRevision + "/redeploy", null)
                .status())
        .as("another operation is in progress")
        .isEqualTo(409);
  }

  private JsonNode running(String name, EnvSet env) {
    JsonNode vm = deployments.deploy(name, env);
    deployments.awaitStatus(vm.get("vm_uuid").asText(), "running");
    return vm;
  }

  private static String seal(JsonNode vm, EnvSet env) {
    return EnvSealer.seal(EnvPublicKey.fromHex(vm.get("encrypted_env_pubkey").asText()), env)
        .toHex();
  }

  private static JsonNode ok(SimClient.Reply reply) {
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    return reply.json();
  }

  private static void accepted(SimClient.Reply reply) {
    assertThat(reply.status()).as(reply.text()).isEqualTo(202);
  }

  private static List<JsonNode> items(JsonNode page) {
    List<JsonNode> out = new ArrayList<>();
    page.get("revisions").forEach(out::add);
    return out;
  }

  private static String revision(JsonNode item) {
    return item.get("revision_id").asText();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
