package cloud.phala.operator.app;

import cloud.phala.operator.app.journal.IntentJournal;
import cloud.phala.operator.app.journal.JournalEntry;
import cloud.phala.operator.app.journal.JournalKey;
import cloud.phala.operator.app.journal.JournalOverlay;
import cloud.phala.operator.app.sync.JournalWrite;
import cloud.phala.operator.app.sync.decide.CvmRecord;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A pass's use of the intent journal ({@code INTENT_JOURNAL=on}): its view of its intents is the
 * status with its journal entry over it; its updates' intents go to the journal; once a status this
 * pass wrote holds every entry it knew, the entry may go. Off (no journal): nothing of this.
 */
final class JournalPasses {
  private final IntentJournal journal;

  /** {@code journal}: null when off. */
  JournalPasses(IntentJournal journal) {
    this.journal = journal;
  }

  /** Starts a pass over {@code app} from {@code start}: sets its status to the pass's view. */
  Pass begin(PhalaApp app, PhalaAppStatus start) {
    app.setStatus(start);
    if (journal == null) {
      return new Pass(null, 0);
    }
    JournalKey key = key(app);
    JournalEntry entry = journal.entry(key);
    app.setStatus(JournalOverlay.overlay(app.getStatus(), entry));
    return new Pass(key, entry == null ? 0 : entry.seq());
  }

  void forget(PhalaApp app) {
    if (journal != null) {
      journal.forget(key(app));
    }
  }

  private static JournalKey key(PhalaApp app) {
    return new JournalKey(
        app.getMetadata().getNamespace(), app.getMetadata().getName(), app.getMetadata().getUid());
  }

  /** One pass: what it wrote to the journal and read from it. */
  final class Pass {
    private final JournalKey key;
    private long known;

    private Pass(JournalKey key, long known) {
      this.key = key;
      this.known = known;
    }

    /** Null when off. */
    JournalWrite write() {
      if (key == null) {
        return null;
      }
      return (intents, checkpoint) -> {
        Map<String, JournalEntry.Intended> out = new LinkedHashMap<>();
        intents.forEach((cvm, record) -> out.put(cvm, intended(record)));
        OptionalLong seq = journal.write(key, out, checkpoint);
        seq.ifPresent(s -> known = Math.max(known, s));
        return seq.isPresent();
      };
    }

    /** A status holding this pass's view is in etcd. */
    void statusWritten() {
      if (key != null && known > 0) {
        journal.subsumed(key, known);
      }
    }
  }

  /** The CVM's record as the journal keeps it (a package-free copy of the status fields). */
  static JournalEntry.Intended intended(CvmRecord record) {
    CvmRecord.Intent intent = record.intent();
    return new JournalEntry.Intended(
        intent.revision(),
        intent.composeRevision(),
        intent.since() == null ? null : intent.since().toString(),
        record.revision(),
        record.composeRevision(),
        record.givenAt() == null ? null : record.givenAt().toString());
  }
}
