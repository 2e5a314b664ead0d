package cloud.phala.operator.app.journal;

import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The intent journal's group commit, pure: passes hand in their intents ({@link #submit}); each
 * {@link #next} batch takes every intent pending at that moment into one new version of the
 * journal, with the entries whose intents the apps' statuses now hold dropped; the I/O writes that
 * version and reports back ({@link #written}, {@link #conflicted}, {@link #failed}). A submission's
 * future completes only after the write that holds it completed: with the batch's sequence number,
 * or empty when the journal had no room (the pass then writes its intent to status).
 */
public final class GroupCommit {
  /** One pass's intents and its checkpoint (null: none), waiting for a batch. */
  public record Submission(
      JournalKey key,
      Map<String, JournalEntry.Intended> intents,
      PhalaAppStatus checkpoint,
      CompletableFuture<OptionalLong> done) {}

  /** A new version of the journal and what it holds of the pending work. */
  public record Batch(
      Map<String, String> data,
      long seq,
      List<Submission> written,
      List<Submission> refused,
      Set<String> dropped) {}

  private final int maxBytes;
  private final List<Submission> pending = new ArrayList<>();
  private final Map<String, Long> subsumed = new HashMap<>();
  private final Set<String> forgotten = new LinkedHashSet<>();
  private long lastSeq;

  public GroupCommit(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  public Submission submit(JournalKey key, Map<String, JournalEntry.Intended> intents) {
    return submit(key, intents, null);
  }

  public synchronized Submission submit(
      JournalKey key, Map<String, JournalEntry.Intended> intents, PhalaAppStatus checkpoint) {
    Submission s = new Submission(key, Map.copyOf(intents), checkpoint, new CompletableFuture<>());
    pending.add(s);
    notifyAll();
    return s;
  }

  /** The app's status now holds every intent of its entry up to {@code seq}: it may go. */
  public synchronized void subsumed(JournalKey key, long seq) {
    subsumed.merge(key.text(), seq, Math::max);
  }

  /** The app is gone: its entry may go. */
  public synchronized void forget(JournalKey key) {
    forgotten.add(key.text());
  }

  synchronized boolean hasSubmissions() {
    return !pending.isEmpty();
  }

  /** Waits up to {@code millis} for a submission; whether one is pending. */
  synchronized boolean awaitSubmission(long millis) throws InterruptedException {
    if (pending.isEmpty()) {
      wait(millis);
    }
    return !pending.isEmpty();
  }

  /** Whether a batch on {@code current} would drop an entry. */
  public synchronized boolean hasDrops(Map<String, String> current) {
    return !dropsOf(current).isEmpty();
  }

  /**
   * The next version of the journal from {@code current} (what the API server holds): every pending
   * submission merged into its app's entry at one new sequence number, the drops applied first;
   * null when there is nothing to write.
   */
  public synchronized Batch next(Map<String, String> current) {
    Set<String> drops = dropsOf(current);
    if (pending.isEmpty() && drops.isEmpty()) {
      return null;
    }
    Map<String, String> data = new TreeMap<>(current);
    data.keySet().removeAll(drops);
    long seq = Math.max(lastSeq, maxSeq(current)) + 1;
    List<Submission> written = new ArrayList<>();
    List<Submission> refused = new ArrayList<>();
    for (Submission s : pending) {
      String key = s.key().text();
      JournalEntry before = data.containsKey(key) ? JournalEntry.decode(data.get(key)) : null;
      JournalEntry after =
          before == null
              ? new JournalEntry(seq, s.intents(), s.checkpoint())
              : before.merged(s.intents(), s.checkpoint(), seq);
      String encoded = after.encode();
      long size = bytes(data) - (before == null ? 0 : key.length() + data.get(key).length());
      if (s.key().fits() && size + key.length() + encoded.length() <= maxBytes) {
        data.put(key, encoded);
        written.add(s);
      } else {
        refused.add(s);
      }
    }
    pending.clear();
    return new Batch(data, seq, written, refused, drops);
  }

  /** The batch is in etcd: its submissions learn their sequence number. */
  public synchronized void written(Batch batch) {
    lastSeq = Math.max(lastSeq, batch.seq());
    for (String key : batch.dropped()) {
      forgotten.remove(key);
      subsumed.remove(key);
    }
    batch.written().forEach(s -> s.done().complete(OptionalLong.of(batch.seq())));
    batch.refused().forEach(s -> s.done().complete(OptionalLong.empty()));
  }

  /** Someone else wrote the journal first: the batch's submissions wait for the next one. */
  public synchronized void conflicted(Batch batch) {
    List<Submission> again = new ArrayList<>(batch.written());
    again.addAll(batch.refused());
    again.addAll(pending);
    pending.clear();
    pending.addAll(again);
  }

  /** The write failed: no submission of the batch is durable, each pass fails. */
  public synchronized void failed(Batch batch, RuntimeException e) {
    batch.written().forEach(s -> s.done().completeExceptionally(e));
    batch.refused().forEach(s -> s.done().completeExceptionally(e));
  }

  private Set<String> dropsOf(Map<String, String> current) {
    Set<String> drops = new LinkedHashSet<>();
    for (String key : forgotten) {
      if (current.containsKey(key)) {
        drops.add(key);
      }
    }
    subsumed.forEach(
        (key, seq) -> {
          if (current.containsKey(key) && JournalEntry.decode(current.get(key)).seq() <= seq) {
            drops.add(key);
          }
        });
    return drops;
  }

  static long maxSeq(Map<String, String> data) {
    return data.values().stream().mapToLong(v -> JournalEntry.decode(v).seq()).max().orElse(0);
  }

  private static long bytes(Map<String, String> data) {
    long total = 0;
    for (Map.Entry<String, String> e : data.entrySet()) {
      total += e.getKey().length() + e.getValue().length();
    }
    return total;
  }
}
