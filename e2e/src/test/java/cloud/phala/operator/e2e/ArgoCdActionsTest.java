package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD resource actions for PhalaApp (restart, pause, resume, retry), run by a Lua 5.1
 * interpreter as Argo CD runs them: discovery.lua lists the actions for an object's state, each
 * action.lua returns the object with its spec edited.
 */
class ArgoCdActionsTest {
  private static final Path DIR =
      Path.of("..", "docs", "argocd", "actions").toAbsolutePath().normalize();
  private static final List<String> ACTIONS = List.of("restart", "pause", "resume", "retry");

  @Test
  void aRunningApp_offersRestartAndPause_notResumeNorRetry() {
    LuaValue actions = run("discovery", app(false, false));
    assertThat(disabled(actions, "restart")).isFalse();
    assertThat(disabled(actions, "pause")).isFalse();
    assertThat(disabled(actions, "resume")).isTrue();
    assertThat(disabled(actions, "retry")).isTrue();
  }

  @Test
  void aPausedApp_offersResume_notPauseNorRestart() {
    LuaValue actions = run("discovery", app(true, false));
    assertThat(disabled(actions, "resume")).isFalse();
    assertThat(disabled(actions, "pause")).isTrue();
    assertThat(disabled(actions, "restart")).isTrue();
  }

  @Test
  void aFailedRollout_offersRetry() {
    assertThat(disabled(run("discovery", app(false, true)), "retry")).isFalse();
  }

  @Test
  void restart_setsSpecRestartAtToNow_inUtc() {
    Instant before = Instant.now().minusSeconds(1);
    LuaValue obj = run("restart", app(false, false));
    Instant restartAt = Instant.parse(obj.get("spec").get("restartAt").tojstring());
    assertThat(restartAt).isBetween(before, Instant.now().plus(Duration.ofSeconds(1)));
  }

  @Test
  void retry_setsSpecRolloutRetryAtToNow_evenWithoutARolloutBlock() {
    Instant before = Instant.now().minusSeconds(1);
    LuaValue obj = run("retry", "{\"spec\":{},\"status\":{}}");
    Instant retryAt = Instant.parse(obj.get("spec").get("rollout").get("retryAt").tojstring());
    assertThat(retryAt).isBetween(before, Instant.now().plus(Duration.ofSeconds(1)));
  }

  @Test
  void pauseAndResume_setSpecRolloutPaused_andLeaveTheRestOfTheSpec() {
    LuaValue paused = run("pause", app(false, false));
    assertThat(paused.get("spec").get("rollout").get("paused").toboolean()).isTrue();
    assertThat(paused.get("spec").get("replicas").toint()).isEqualTo(3);
    LuaValue resumed = run("resume", app(true, false));
    assertThat(resumed.get("spec").get("rollout").get("paused").toboolean()).isFalse();
  }

  @Test
  void theArgoCdConfigMapEmbedsExactlyTheScripts() throws IOException {
    String configMap = Files.readString(DIR.getParent().resolve("argocd-cm.yaml"));
    assertThat(configMap).contains("  resource.customizations.actions.phala.cloud_PhalaApp: |\n");
    assertThat(embedded(configMap, "    discovery.lua: |\n", 6)).isEqualTo(script("discovery"));
    for (String action : ACTIONS) {
      String key = "    - name: " + action + "\n      action.lua: |\n";
      assertThat(embedded(configMap, key, 8)).as(action).isEqualTo(script(action));
    }
  }

  private static String embedded(String configMap, String key, int indent) {
    assertThat(configMap).contains(key);
    String pad = " ".repeat(indent);
    return configMap
        .substring(configMap.indexOf(key) + key.length())
        .lines()
        .takeWhile(line -> line.isEmpty() || line.startsWith(pad))
        .map(line -> line.isEmpty() ? line : line.substring(indent))
        .collect(Collectors.joining("\n", "", "\n"));
  }

  private static boolean disabled(LuaValue actions, String name) {
    LuaValue action = actions.get(name);
    assertThat(action.istable()).as("discovery lists %s", name).isTrue();
    return action.get("disabled").toboolean();
  }

  private static String script(String name) {
    try {
      return Files.readString(DIR.resolve(name + ".lua"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static LuaValue run(String name, String appJson) {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", LuaJson.toLua(appJson));
    return globals.load(script(name), name + ".lua").call();
  }

  private static String app(boolean paused, boolean failed) {
    return ("{\"metadata\":{\"name\":\"app\"},\"spec\":{\"replicas\":3,\"rollout\":{\"paused\":%s}},"
            + "\"status\":{\"rollout\":%s}}")
        .formatted(paused, failed ? "{\"failedRevision\":\"r2\",\"action\":\"Halted\"}" : "{}");
  }

  /** JSON to Lua tables, as Argo CD hands an object to its scripts. */
  private static final class LuaJson {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
        new com.fasterxml.jackson.databind.ObjectMapper();

    static LuaValue toLua(String json) {
      try {
        return toLua(JSON.readTree(json));
      } catch (IOException e) {
        throw new IllegalArgumentException(e);
      }
    }

    private static LuaValue toLua(com.fasterxml.jackson.databind.JsonNode node) {
      if (node.isObject()) {
        LuaTable table = new LuaTable();
        node.fields().forEachRemaining(f -> table.set(f.getKey(), toLua(f.getValue())));
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
  }
}
