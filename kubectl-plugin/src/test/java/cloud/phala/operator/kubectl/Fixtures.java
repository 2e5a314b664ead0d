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
}
