package cloud.phala.operator.app.sim;

import cloud.phala.operator.app.journal.GroupCommit;
import cloud.phala.operator.app.journal.IntentJournal;
import cloud.phala.operator.app.journal.JournalEntry;
import cloud.phala.operator.app.journal.JournalKey;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The intent journal's ConfigMap as the API server keeps it between passes and across operator
 * deaths; each operator process writes it through a {@link GroupCommit} of its own (its memory of
 * what statuses hold dies with it), one batch per write as the committer would.
 */
final class JournalStore {
  private Map<String, String> data = Map.of();
  private int writes;

  JournalEntry entry(JournalKey key) {
    String text = data.get(key.text());
    return text == null ? null : JournalEntry.decode(text);
  }

  OptionalLong write(
      GroupCommit commit,
      JournalKey key,
      Map<String, JournalEntry.Intended> in,
      cloud.phala.operator.crd.PhalaAppStatus checkpoint) {
    GroupCommit.Submission s = commit.submit(key, in, checkpoint);
    commit(commit);
    return s.done().join();
  }

  /** The committer's write of drops alone, when no pass is waiting. */
  void dropsIfAny(GroupCommit commit) {
    if (commit.hasDrops(data)) {
      commit(commit);
    }
  }

  int writes() {
    return writes;
  }

  boolean isEmpty() {
    return data.isEmpty();
  }

  private void commit(GroupCommit commit) {
    GroupCommit.Batch batch = commit.next(data);
    if (batch != null) {
      writes++;
      data = Map.copyOf(batch.data());
      commit.written(batch);
    }
  }

  static GroupCommit process() {
    return new GroupCommit(IntentJournal.MAX_BYTES);
  }
}
