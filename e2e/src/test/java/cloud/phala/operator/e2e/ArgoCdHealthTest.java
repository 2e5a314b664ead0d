package cloud.phala.operator.e2e;

import static cloud.phala.operator.app.status.ConditionType.DEGRADED;
import static cloud.phala.operator.app.status.ConditionType.PROGRESSING;
import static cloud.phala.operator.app.status.ConditionType.PUBLIC_KEY_VERIFIED;
import static cloud.phala.operator.app.status.ConditionType.READY;
import static cloud.phala.operator.app.status.ConditionType.SECRETS_RESOLVED;
import static cloud.phala.operator.app.status.Reason.ADOPTION_REQUIRED;
import static cloud.phala.operator.app.status.Reason.ALL_REPLICAS_READY;
import static cloud.phala.operator.app.status.Reason.BOOT_FAILED;
import static cloud.phala.operator.app.status.Reason.CONVERGED;
import static cloud.phala.operator.app.status.Reason.CREATING;
import static cloud.phala.operator.app.status.Reason.CREDENTIALS_UNAVAILABLE;
import static cloud.phala.operator.app.status.Reason.KMS_UNAVAILABLE;
import static cloud.phala.operator.app.status.Reason.MISSING_SOURCE;
import static cloud.phala.operator.app.status.Reason.NO_FAILURES;
import static cloud.phala.operator.app.status.Reason.OS_IMAGE_UNAVAILABLE;
import static cloud.phala.operator.app.status.Reason.PAUSED;
import static cloud.phala.operator.app.status.Reason.PINNED_REVISION_UNKNOWN;
import static cloud.phala.operator.app.status.Reason.REPLICAS_NOT_READY;
import static cloud.phala.operator.app.status.Reason.ROLLING_OUT;
import static cloud.phala.operator.app.status.Reason.ROLLOUT_HALTED;
import static cloud.phala.operator.app.status.Reason.ROOT_KEY_CHANGED;
import static cloud.phala.operator.app.status.Reason.SIGNATURE_INVALID;
import static cloud.phala.operator.app.status.Reason.VERIFICATION_DISABLED;
import static cloud.phala.operator.app.status.Reason.VERIFICATION_REQUIRED;
import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.status.Phase;
import cloud.phala.operator.app.status.Reason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health script, run by a Lua 5.1 interpreter against PhalaApp objects whose conditions
 * are ones the operator writes: each reason is one of its condition type's ({@link Reason}).
 */
class ArgoCdHealthTest {

  private static final Path DIR = Path.of("..", "docs", "argocd").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CONDITION_READ =
      Pattern.compile("condition\\(status, \"(\\w+)\"\\)");
  private static final Pattern REASON_READ = Pattern.compile("\\.reason [=~]= \"(\\w+)\"");
  private static final Pattern PHASE_READ = Pattern.compile("\\.phase [=~]= \"(\\w+)\"");
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
    String app = app(2, 1, condition(READY, true, ALL_REPLICAS_READY));
    assertThat(health(app)).isEqualTo("Progressing");
    assertThat(message(app)).contains("generation 2");
  }

  @Test
  void aReadyAppIsHealthy() {
    String app =
        app(
            3,
            3,
            condition(READY, true, ALL_REPLICAS_READY),
            condition(PROGRESSING, false, CONVERGED),
            condition(DEGRADED, false, NO_FAILURES));
    assertThat(health(app)).isEqualTo("Healthy");
  }

  @Test
  void aRolloutUnderWayIsProgressingWithTheOperatorsMessage() {
    String app =
        app(
            3,
            3,
            condition(READY, false, REPLICAS_NOT_READY, "1/3 replicas run revision r2"),
            condition(PROGRESSING, true, ROLLING_OUT, "moving CVMs to revision r2"));
    assertThat(health(app)).isEqualTo("Progressing");
    assertThat(message(app)).isEqualTo("moving CVMs to revision r2");
  }

  @Test
  void aFirstDeployIsProgressing() {
    String app =
        app(
            1,
            1,
            condition(READY, false, CREATING, "no CVM runs yet"),
            condition(PROGRESSING, true, CREATING, "first CVM app-1 is booting"));
    assertThat(health(app)).isEqualTo("Progressing");
    assertThat(message(app)).isEqualTo("first CVM app-1 is booting");
  }

  @Test
  void aFailedBootIsDegradedEvenDuringARollout() {
    String app =
        app(
            1,
            1,
            condition(PROGRESSING, true, ROLLING_OUT),
            condition(DEGRADED, true, BOOT_FAILED, "CVM app-1: boot failed"));
    assertThat(health(app)).isEqualTo("Degraded");
    assertThat(message(app)).isEqualTo("CVM app-1: boot failed");
  }

  @Test
  void aHaltedRolloutIsDegraded() {
    String app =
        app(
            2,
            2,
            condition(READY, false, REPLICAS_NOT_READY),
            condition(PROGRESSING, false, ROLLOUT_HALTED),
            condition(DEGRADED, true, ROLLOUT_HALTED, "CVM c1 failed to boot revision r2"));
    assertThat(health(app)).isEqualTo("Degraded");
    assertThat(message(app)).isEqualTo("CVM c1 failed to boot revision r2");
  }

  @Test
  void aMissingSecretIsDegraded() {
    String app = app(1, 1, condition(SECRETS_RESOLVED, false, MISSING_SOURCE));
    assertThat(health(app)).isEqualTo("Degraded");
  }

  @Test
  void aKeyThatFailedVerificationIsDegraded() {
    for (Reason refused :
        List.of(SIGNATURE_INVALID, ROOT_KEY_CHANGED, KMS_UNAVAILABLE, VERIFICATION_REQUIRED)) {
      String app = app(1, 1, condition(PUBLIC_KEY_VERIFIED, false, refused));
      assertThat(health(app)).as("%s", refused).isEqualTo("Degraded");
    }
  }

  @Test
  void aKeyWhoseVerificationIsSwitchedOffIsNotDegraded() {
    String app =
        app(
            1,
            1,
            condition(PUBLIC_KEY_VERIFIED, false, VERIFICATION_DISABLED),
            condition(READY, true, ALL_REPLICAS_READY));
    assertThat(health(app)).isEqualTo("Healthy");
  }

  @Test
  void missingCredentialsAreDegraded() {
    String app = app(1, 1, condition(READY, false, CREDENTIALS_UNAVAILABLE));
    assertThat(health(app)).isEqualTo("Degraded");
  }

  @Test
  void aPausedRolloutIsSuspended_butAFailureStillShowsAsDegraded() {
    String paused =
        app(2, 2, condition(PROGRESSING, false, PAUSED, "no CVM is changed"))
            .replace("{\"metadata\"", "{\"spec\":{\"rollout\":{\"paused\":true}},\"metadata\"");
    String pausedAndFailed =
        paused.replace(
            "\"conditions\":[", "\"conditions\":[" + condition(DEGRADED, true, BOOT_FAILED) + ",");

    assertThat(health(paused)).isEqualTo("Suspended");
    assertThat(message(paused)).isEqualTo("no CVM is changed");
    assertThat(health(pausedAndFailed)).isEqualTo("Degraded");
  }

  @Test
  void anAppBlockedUntilAPersonActs_isDegradedWithTheOperatorsMessage_notProgressingForever() {
    String adoption =
        blocked(app(1, 1, condition(READY, false, ADOPTION_REQUIRED, "grant the app")));
    String pin =
        blocked(app(1, 1, condition(READY, false, PINNED_REVISION_UNKNOWN, "no such revision")));
    String image =
        blocked(
            app(
                1,
                1,
                condition(READY, true, ALL_REPLICAS_READY),
                condition(PROGRESSING, false, OS_IMAGE_UNAVAILABLE, "no such image")));

    assertThat(health(adoption)).isEqualTo("Degraded");
    assertThat(message(adoption)).isEqualTo("grant the app");
    assertThat(health(pin)).isEqualTo("Degraded");
    assertThat(message(pin)).isEqualTo("no such revision");
    assertThat(health(image)).isEqualTo("Degraded");
    assertThat(message(image)).isEqualTo("no such image");
    assertThat(health(adoption.replace(Phase.BLOCKED.wire(), Phase.PENDING.wire())))
        .isEqualTo("Progressing");
  }

  private static String blocked(String app) {
    return app.replace("\"status\":{", "\"status\":{\"phase\":\"" + Phase.BLOCKED.wire() + "\",");
  }

  @Test
  void replicasNotYetReadyAreProgressing() {
    String app = app(1, 1, condition(READY, false, REPLICAS_NOT_READY));
    assertThat(health(app)).isEqualTo("Progressing");
  }

  @Test
  void theScriptReadsOnlyConditionTypesAndReasonsTheOperatorWrites() {
    Set<String> types = matches(CONDITION_READ);
    Set<String> reasons = matches(REASON_READ);

    assertThat(types)
        .isNotEmpty()
        .isSubsetOf(Arrays.stream(ConditionType.values()).map(ConditionType::wire).toList());
    assertThat(reasons)
        .containsExactlyInAnyOrder(VERIFICATION_DISABLED.wire(), CREDENTIALS_UNAVAILABLE.wire());
    assertThat(matches(PHASE_READ)).containsExactly(Phase.BLOCKED.wire());
  }

  private static Set<String> matches(Pattern pattern) {
    Set<String> found = new TreeSet<>();
    Matcher matcher = pattern.matcher(script);
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found;
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
            .takeWhile(line -> line.isEmpty() || line.startsWith("      "))
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

  private static String condition(ConditionType type, boolean status, Reason reason) {
    return condition(type, status, reason, "");
  }

  /** A condition the operator writes: {@code reason} is one of {@code type}'s. */
  private static String condition(
      ConditionType type, boolean status, Reason reason, String message) {
    assertThat(reason.conditionTypes()).as("%s is a reason of %s", reason, type).contains(type);
    return "{\"type\":\"%s\",\"status\":\"%s\",\"reason\":\"%s\",\"message\":\"%s\"}"
        .formatted(type.wire(), status ? "True" : "False", reason.wire(), message);
  }
}
