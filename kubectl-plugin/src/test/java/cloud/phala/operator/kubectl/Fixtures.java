package cloud.phala.operator.kubectl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Status objects as the operator writes them, for the commands that read status. */
final class Fixtures {
  private Fixtures() {}

  /** Revisions 1..current, newest first; revision 1 made the app, later ones changed a key. */
  static Map<String, Object> historyStatus(int current) {
    List<Map<String, Object>> history = new ArrayList<>();
    for (int revision = current; revision >= 1; revision--) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("revision", revision);
      entry.put("envRevision", "env" + revision + "a1b2c3d4e5f6a7b8");
      entry.put("phalaRevision", "rev-" + revision);
      entry.put("composeHash", "c0ffee" + revision + "0123456789abcdef");
      entry.put("envKeys", List.of("API_TOKEN", "DATABASE_URL"));
      entry.put("changedKeys", revision == 1 ? List.of() : List.of("API_TOKEN"));
      entry.put("rolledOutAt", "2026-12-0" + revision + "T10:00:00Z");
      history.add(entry);
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("phase", "Ready");
    status.put("envRevision", "env" + current + "a1b2c3d4e5f6a7b8");
    status.put("revision", current);
    status.put("history", history);
    return status;
  }

  /**
   * A status describing {@code generation} and the given Secret versions: {@code updated} of 3
   * replicas on the desired revision, Ready when all are, and Degraded if {@code degraded}.
   */
  static Map<String, Object> rolloutStatus(
      long generation, Map<String, String> secrets, int updated, boolean degraded) {
    Map<String, Object> status = historyStatus(3);
    status.put("observedGeneration", generation);
    status.put("observedInputs", Map.of("generation", generation, "secrets", secrets));
    status.put("replicas", 3);
    status.put("updatedReplicas", updated);
    status.put("readyReplicas", 3);
    status.put("phase", degraded ? "Halted" : updated == 3 ? "Ready" : "Rolling");
    status.put(
        "conditions",
        List.of(
            condition(
                "Ready", updated == 3 && !degraded, updated == 3 ? "AllReplicasReady" : "Rolling"),
            condition("Degraded", degraded, degraded ? "RolloutHalted" : "NoFailures")));
    if (degraded) {
      status.put(
          "rollout",
          Map.of(
              "failedRevision", "env3a1b2c3d4e5f6a7b8",
              "action", "Halted",
              "failure", "CVM 1234 failed to boot revision env3a1b2c3d4e5f6a7b8: boom"));
    }
    return status;
  }

  /** Three CVMs: two serving revision 3, one being given it. */
  static List<Map<String, Object>> cvms() {
    return List.of(
        cvm(
            "app-0",
            "11111111-0000-0000-0000-000000000000",
            "running",
            "env3a1b2c3d4e5f6a7b8",
            false),
        cvm(
            "app-1",
            "22222222-0000-0000-0000-000000000000",
            "running",
            "env3a1b2c3d4e5f6a7b8",
            false),
        cvm(
            "app-2",
            "33333333-0000-0000-0000-000000000000",
            "starting",
            "env2a1b2c3d4e5f6a7b8",
            true));
  }

  private static Map<String, Object> cvm(
      String name, String id, String phase, String revision, boolean intent) {
    Map<String, Object> cvm = new LinkedHashMap<>();
    cvm.put("name", name);
    cvm.put("cvmId", id);
    cvm.put("phase", phase);
    cvm.put("envRevision", revision);
    if (intent) {
      cvm.put(
          "intent", Map.of("envRevision", "env3a1b2c3d4e5f6a7b8", "since", "2026-12-03T10:00:00Z"));
    }
    return cvm;
  }

  private static Map<String, Object> condition(String type, boolean value, String reason) {
    return Map.of(
        "type",
        type,
        "status",
        value ? "True" : "False",
        "reason",
        reason,
        "message",
        type + " " + reason,
        "lastTransitionTime",
        "2026-12-03T10:00:00Z");
  }
}
