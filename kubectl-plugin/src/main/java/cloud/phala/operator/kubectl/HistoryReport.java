package cloud.phala.operator.kubectl;

import java.util.List;

/** {@code rollout history}: the revisions of {@code status.history}, newest first; names only. */
final class HistoryReport {
  private HistoryReport() {}

  static String table(App app) {
    List<OpsFields.HistoryEntry> history = app.history();
    if (history.isEmpty()) {
      return "No rollout history found for phalaapp \"" + app.name() + "\".\n";
    }
    Table table = new Table("REVISION", "ROLLED OUT", "COMPOSE", "CHANGED KEYS");
    for (OpsFields.HistoryEntry entry : history) {
      table.row(
          String.valueOf(entry.revision),
          orDash(entry.rolledOutAt),
          App.shortRevision(entry.composeHash),
          entry.changedKeys == null || entry.changedKeys.isEmpty()
              ? "-"
              : String.join(",", entry.changedKeys));
    }
    StringBuilder text = new StringBuilder("phalaapp.phala.cloud/" + app.name() + "\n");
    text.append(table.render());
    text.append(footer(app));
    return text.toString();
  }

  static String revision(App app, int revision) {
    OpsFields.HistoryEntry entry =
        app.history().stream()
            .filter(h -> Integer.valueOf(revision).equals(h.revision))
            .findFirst()
            .orElseThrow(
                () ->
                    new UserError(
                        "unable to find revision "
                            + revision
                            + " in the history of phalaapp \""
                            + app.name()
                            + "\""));
    return "phalaapp.phala.cloud/"
        + app.name()
        + " with revision #"
        + revision
        + "\n"
        + "  Rolled out:      "
        + orDash(entry.rolledOutAt)
        + "\n"
        + "  Env revision:    "
        + orDash(entry.envRevision)
        + "\n"
        + "  Phala revision:  "
        + orDash(entry.phalaRevision)
        + "\n"
        + "  Compose hash:    "
        + orDash(entry.composeHash)
        + "\n"
        + "  Env keys:        "
        + names(entry.envKeys)
        + "\n"
        + "  Changed keys:    "
        + names(entry.changedKeys)
        + "\n";
  }

  private static String footer(App app) {
    String text = "Current revision: " + app.currentRevisionLabel() + "\n";
    Integer pinned = app.ops().spec.rollout.pinnedRevision;
    if (pinned != null) {
      text +=
          "Pinned to revision "
              + pinned
              + ": kubectl phala rollout unpin "
              + app.name()
              + " follows the Secrets again\n";
    }
    return text;
  }

  private static String names(List<String> keys) {
    return keys == null || keys.isEmpty() ? "-" : String.join(", ", keys);
  }

  private static String orDash(String value) {
    return value == null ? "-" : value;
  }
}
