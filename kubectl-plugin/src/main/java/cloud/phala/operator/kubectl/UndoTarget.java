package cloud.phala.operator.kubectl;

import java.util.List;

/**
 * Which revision {@code rollout undo} pins, like {@code kubectl rollout undo}: the one before the
 * current revision, or {@code --to-revision N} (0 also means the one before), which must be in the
 * history.
 */
final class UndoTarget {
  private UndoTarget() {}

  static int choose(App app, Integer toRevision) {
    List<OpsFields.HistoryEntry> history = app.history();
    if (history.isEmpty()) {
      throw new UserError(
          "phalaapp \""
              + app.name()
              + "\" has no rollout history yet (status.history is empty): nothing to undo");
    }
    if (toRevision != null && toRevision != 0) {
      if (history.stream().noneMatch(h -> toRevision.equals(h.revision))) {
        throw new UserError(
            "unable to find revision "
                + toRevision
                + " in the history of phalaapp \""
                + app.name()
                + "\" (kubectl phala rollout history "
                + app.name()
                + ")");
      }
      return toRevision;
    }
    Integer current = app.ops().status.revision;
    if (current == null) {
      throw new UserError(
          "phalaapp \"" + app.name() + "\" has no current revision yet (status.revision)");
    }
    return history.stream()
        .map(h -> h.revision)
        .filter(r -> r != null && r < current)
        .max(Integer::compare)
        .orElseThrow(
            () ->
                new UserError(
                    "phalaapp \""
                        + app.name()
                        + "\" has no revision before "
                        + current
                        + " in its history: nothing to undo"));
  }
}
