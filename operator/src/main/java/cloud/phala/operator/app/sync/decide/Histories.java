package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.AppRevision;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.crd.HistoryEntry;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crypto.EnvSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * status.history: each revision that rolled out fully, with the Phala Cloud revision its replicas
 * ran (what a pin redeploys), its key names and which keys changed. Pure: Phala Cloud's history is
 * read elsewhere, when {@link #entryDue} says so.
 *
 * <p>Status is writable by others, so each entry carries a tag keyed with the operator's revision
 * key over this PhalaApp, its app id and the entry's identifying fields; a pin uses only an entry
 * whose tag verifies. Which keys changed is told by a keyed hash of each value (shortened), never a
 * plain hash.
 */
final class Histories {
  static final int DEFAULT_LIMIT = 10;

  private final Revision keys;

  Histories(Revision keys) {
    this.keys = keys;
  }

  /** The number status.revision shows for {@code desired}: its entry's, or the next one. */
  static int number(List<HistoryEntry> history, String envRevision) {
    return history.stream()
        .filter(e -> envRevision.equals(e.envRevision) && e.revision != null)
        .map(e -> e.revision)
        .findFirst()
        .orElseGet(() -> next(history));
  }

  private static int next(List<HistoryEntry> history) {
    return 1
        + history.stream()
            .map(e -> e.revision)
            .filter(Objects::nonNull)
            .mapToInt(Integer::intValue)
            .max()
            .orElse(0);
  }

  /** Every replica runs {@code desired}, built from the current inputs, and history lacks it. */
  static boolean entryDue(StatusDraft draft, Desired desired, List<Cvm> cvms) {
    return desired.env() instanceof EnvPayload.Fresh
        && !cvms.isEmpty()
        && FailurePolicy.everyReplica(draft, desired, cvms)
        && draft.history().history.stream()
            .noneMatch(e -> desired.revision().equals(e.envRevision));
  }

  /**
   * Adds {@code desired} to history once it rolled out fully, with the Phala Cloud revision the
   * replicas run ({@code newestFirst}: the app's revisions). Without it, says so and tries again.
   */
  void record(
      PhalaApp app,
      StatusDraft draft,
      Desired desired,
      List<Cvm> cvms,
      Optional<List<AppRevision>> newestFirst,
      Notes notes) {
    if (!entryDue(draft, desired, cvms)) {
      return;
    }
    Optional<AppRevision> running =
        newestFirst.flatMap(revisions -> RollbackRecords.running(revisions, cvms));
    if (running.isEmpty()) {
      notes.warning(
          Reason.ROLLBACK_NOT_KEPT,
          "could not record which Phala Cloud revision revision "
              + desired.revision()
              + " runs, for status.history; retried on the next pass");
      return;
    }
    List<HistoryEntry> history = draft.history().history;
    HistoryEntry entry = new HistoryEntry();
    entry.revision = next(history);
    entry.envRevision = desired.revision();
    entry.composeRevision = desired.composeRevision();
    entry.phalaRevision = running.get().revisionId();
    entry.composeHash = running.get().composeHash();
    entry.envKeys = List.copyOf(desired.env().keys());
    entry.keyTags = keyTags(app, ((EnvPayload.Fresh) desired.env()).env());
    entry.changedKeys = history.isEmpty() ? entry.envKeys : changed(history.get(0), entry);
    entry.rolledOutAt = draft.now().toString();
    entry.tag = tag(app, draft.appId(), entry);
    history.add(0, entry);
    int limit = limit(app.getSpec());
    while (history.size() > limit) {
      history.remove(history.size() - 1);
    }
    draft.history().revision = entry.revision;
  }

  /** The entry numbered {@code revision} whose tag verifies, if there is one. */
  Optional<HistoryEntry> verified(PhalaApp app, StatusDraft draft, int revision) {
    return draft.history().history.stream()
        .filter(e -> e.revision != null && e.revision == revision)
        .filter(e -> verifies(app, draft.appId(), e))
        .findFirst();
  }

  private boolean verifies(PhalaApp app, String appId, HistoryEntry entry) {
    if (entry.tag == null
        || appId == null
        || entry.envRevision == null
        || entry.composeRevision == null
        || entry.phalaRevision == null
        || entry.composeHash == null) {
      return false;
    }
    return MessageDigest.isEqual(
        entry.tag.getBytes(StandardCharsets.UTF_8),
        tag(app, appId, entry).getBytes(StandardCharsets.UTF_8));
  }

  static int limit(PhalaAppSpec spec) {
    Integer limit = spec.rollout == null ? null : spec.rollout.revisionHistoryLimit;
    return limit == null || limit < 1 ? DEFAULT_LIMIT : limit;
  }

  private Map<String, String> keyTags(PhalaApp app, EnvSet env) {
    Map<String, String> out = new TreeMap<>();
    for (String key : env.keys()) {
      String value = env.get(key).orElse("");
      out.put(
          key,
          keys.tag(
                  List.of(
                      "history-key",
                      app.getMetadata().getNamespace(),
                      app.getMetadata().getName(),
                      String.valueOf(app.getMetadata().getUid()),
                      key,
                      value))
              .substring(0, 16));
    }
    return out;
  }

  /** Names whose value or presence differs between the two entries. */
  private static List<String> changed(HistoryEntry before, HistoryEntry after) {
    Map<String, String> was = before.keyTags == null ? Map.of() : before.keyTags;
    TreeSet<String> names = new TreeSet<>(was.keySet());
    names.addAll(after.keyTags.keySet());
    List<String> out = new ArrayList<>();
    for (String name : names) {
      if (!Objects.equals(was.get(name), after.keyTags.get(name))) {
        out.add(name);
      }
    }
    return out;
  }

  private String tag(PhalaApp app, String appId, HistoryEntry entry) {
    return keys.tag(
        List.of(
            "history",
            app.getMetadata().getNamespace(),
            app.getMetadata().getName(),
            String.valueOf(app.getMetadata().getUid()),
            appId,
            String.valueOf(entry.revision),
            entry.envRevision,
            entry.composeRevision,
            entry.phalaRevision,
            entry.composeHash));
  }
}
