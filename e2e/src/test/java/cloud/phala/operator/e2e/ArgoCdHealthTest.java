package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/** The Argo CD health script, run by a Lua 5.1 interpreter against PhalaApp objects. */
class ArgoCdHealthTest {

  private static final Path DIR = Path.of("..", "docs", "argocd").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static String script;

  @BeforeAll
  static void readScript() throws IOException {
    script = Files.readString(DIR.resolve("health.lua"));
  }

  @Test
  void anAppWithoutStatusIsProgressing() {
    assertThat(health("{\"metadata\":{\"generation\":1}}")).isEqualTo("Progressing");
  }

  @Test
  void anAppWhoseLatestSpecIsUnobservedIsProgressingEvenIfItWasReady() {
    String app = app(2, 1, condition("Ready", "True", "AllReplicasReady"));
    assertThat(health(app)).isEqualTo("Progressing");
    assertThat(message(app)).contains("generation 2");
  }

  @Test
  void aReadyAppIsHealthy() {
    String app =
        app(
            3,
            3,
            condition("Ready", "True", "AllReplicasReady"),
            condition("Progressing", "False", "RolloutComplete"),
            condition("Degraded", "False", "NoFailures"));
    assertThat(health(app)).isEqualTo("Healthy");
  }

  @Test
  void aRolloutUnderWayIsProgressingWithTheOperatorsMessage() {
    String app =
        app(
            3,
            3,
            condition("Ready", "True", "AllReplicasReady"),
            condition("Progressing", "True", "RollingOut", "1 of 3 replicas updated"));
    assertThat(health(app)).isEqualTo("Progressing");
    assertThat(message(app)).isEqualTo("1 of 3 replicas updated");
  }

  @Test
  void aFailedBootIsDegradedEvenDuringARollout() {
    String app =
        app(
            1,
            1,
            condition("Progressing", "True", "RollingOut"),
            condition("Degraded", "True", "BootFailed", "app-1 failed to boot"));
    assertThat(health(app)).isEqualTo("Degraded");
    assertThat(message(app)).isEqualTo("app-1 failed to boot");
  }

  @Test
  void aMissingSecretIsDegraded() {
    String app = app(1, 1, condition("SecretsResolved", "False", "SecretNotFound"));
    assertThat(health(app)).isEqualTo("Degraded");
  }

  @Test
  void aKeyThatFailedVerificationIsDegraded() {
    String app = app(1, 1, condition("PublicKeyVerified", "False", "SignatureInvalid"));
    assertThat(health(app)).isEqualTo("Degraded");
  }

  @Test
  void aKeyWhoseVerificationIsSwitchedOffIsNotDegraded() {
    String app =
        app(
            1,
            1,
            condition("PublicKeyVerified", "False", "VerificationDisabled"),
            condition("Ready", "True", "AllReplicasReady"));
    assertThat(health(app)).isEqualTo("Healthy");
  }

  @Test
  void missingCredentialsAreDegraded() {
    String app = app(1, 1, condition("Ready", "False", "CredentialsUnavailable"));
    assertThat(health(app)).isEqualTo("Degraded");
  }

  @Test
  void aPausedRolloutIsSuspended_butAFailureStillShowsAsDegraded() {
    String paused =
        app(2, 2, condition("Progressing", "False", "Paused", "no CVM is changed"))
            .replace("{\"metadata\"", "{\"spec\":{\"rollout\":{\"paused\":true}},\"metadata\"");
    String pausedAndFailed =
        paused.replace(
            "\"conditions\":[",
            "\"conditions\":[" + condition("Degraded", "True", "BootFailed") + ",");

    assertThat(health(paused)).isEqualTo("Suspended");
    assertThat(message(paused)).isEqualTo("no CVM is changed");
    assertThat(health(pausedAndFailed)).isEqualTo("Degraded");
  }

  @Test
  void replicasNotYetReadyAreProgressing() {
    String app = app(1, 1, condition("Ready", "False", "ReplicasNotReady"));
    assertThat(health(app)).isEqualTo("Progressing");
  }

  @Test
  void theArgoCdConfigMapEmbedsExactlyTheScript() throws IOException {
    String configMap = Files.readString(DIR.resolve("argocd-cm.yaml"));
    String key = "  resource.customizations.health.phala.cloud_PhalaApp: |\n";
    assertThat(configMap).contains(key);
    String embedded =
        configMap
            .substring(configMap.indexOf(key) + key.length())
            .lines()
            .map(line -> line.isEmpty() ? line : line.substring(6))
            .collect(Collectors.joining("\n", "", "\n"));
    assertThat(embedded).isEqualTo(script);
  }

  private static String health(String app) {
    return run(app).get("status").tojstring();
  }

  private static String message(String app) {
    return run(app).get("message").tojstring();
  }

  private static LuaValue run(String appJson) {
    Globals globals = JsePlatform.standardGlobals();
    try {
      globals.set("obj", toLua(JSON.readTree(appJson)));
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
    return globals.load(script, "health.lua").call();
  }

  private static LuaValue toLua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        table.set(field.getKey(), toLua(field.getValue()));
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, toLua(node.get(i)));
      }
      return table;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue());
    }
    return node.isNull() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
  }

  private static String app(long generation, long observedGeneration, String... conditions) {
    return "{\"metadata\":{\"generation\":%d},\"status\":{\"observedGeneration\":%d,\"conditions\":[%s]}}"
        .formatted(generation, observedGeneration, String.join(",", conditions));
  }

  private static String condition(String type, String status, String reason) {
    return condition(type, status, reason, "");
  }

  private static String condition(String type, String status, String reason, String message) {
    return "{\"type\":\"%s\",\"status\":\"%s\",\"reason\":\"%s\",\"message\":\"%s\"}"
        .formatted(type, status, reason, message);
  }
}
