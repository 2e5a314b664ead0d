package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.crd.HistoryEntry;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The day-two part of the status a pass is building: the revision number, the history of fully
 * rolled out revisions (newest first) and the restart every CVM has had. Carried over from the
 * previous status unless the pass changes it.
 */
final class HistoryDraft {
  Integer revision;
  final List<HistoryEntry> history = new ArrayList<>();
  String restartedAt;

  HistoryDraft(PhalaAppStatus previous) {
    this.revision = previous.revision;
    if (previous.history != null) {
      previous.history.stream().filter(e -> e != null).forEach(e -> history.add(copy(e)));
    }
    this.restartedAt = previous.restartedAt;
  }

  void writeTo(PhalaAppStatus status) {
    status.revision = revision;
    status.history = history.isEmpty() ? null : history.stream().map(HistoryDraft::copy).toList();
    status.restartedAt = restartedAt;
  }

  static HistoryEntry copy(HistoryEntry from) {
    HistoryEntry out = new HistoryEntry();
    out.revision = from.revision;
    out.envRevision = from.envRevision;
    out.composeRevision = from.composeRevision;
    out.phalaRevision = from.phalaRevision;
    out.composeHash = from.composeHash;
    out.envKeys = from.envKeys == null ? null : List.copyOf(from.envKeys);
    out.changedKeys = from.changedKeys == null ? null : List.copyOf(from.changedKeys);
    out.keyTags = from.keyTags == null ? null : new java.util.TreeMap<>(from.keyTags);
    out.rolledOutAt = from.rolledOutAt;
    out.tag = from.tag;
    return out;
  }
}
