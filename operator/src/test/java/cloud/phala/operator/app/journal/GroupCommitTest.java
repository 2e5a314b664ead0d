package cloud.phala.operator.app.journal;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
  private static final JournalKey A = new JournalKey("ns", "a", "uid-a");
  private static final JournalKey B = new JournalKey("ns", "b.c", "uid-b");

  private static Map<String, JournalEntry.Intended> intent(String cvm, String revision, int at) {
    return Map.of(cvm, new JournalEntry.Intended(revision, "c1", "2026-12-03T10:00:0" + at + "Z"));
  }

  @Test
  void everyIntentPendingAtABatch_goesIntoOneWrite_andCompletesOnlyOnceWritten() {
    GroupCommit commit = new GroupCommit(IntentJournal.MAX_BYTES);
    GroupCommit.Submission a = commit.submit(A, intent("vm-a", "r2", 1));
    GroupCommit.Submission b = commit.submit(B, intent("vm-b", "r2", 1));

    GroupCommit.Batch batch = commit.next(Map.of());

    assertThat(batch.data()).containsOnlyKeys(A.text(), B.text());
    assertThat(a.done()).isNotDone();
    commit.written(batch);
    assertThat(a.done()).isCompletedWithValue(OptionalLong.of(batch.seq()));
    assertThat(b.done()).isCompletedWithValue(OptionalLong.of(batch.seq()));
    assertThat(commit.next(batch.data())).isNull();
  }

  @Test
  void aLaterIntentOfTheSameApp_mergesIntoItsEntry_keepingTheOtherCvmsIntents() {
    GroupCommit commit = new GroupCommit(IntentJournal.MAX_BYTES);
    commit.submit(A, intent("vm-1", "r2", 1));
    GroupCommit.Batch first = commit.next(Map.of());
    commit.written(first);
    commit.submit(A, intent("vm-2", "r2", 2));

    GroupCommit.Batch second = commit.next(first.data());

    JournalEntry entry = JournalEntry.decode(second.data().get(A.text()));
    assertThat(entry.intents()).containsOnlyKeys("vm-1", "vm-2");
    assertThat(entry.seq()).isGreaterThan(JournalEntry.decode(first.data().get(A.text())).seq());
  }

  @Test
  void aLaterPassesCheckpoint_replacesTheEntrysCheckpoint() {
    GroupCommit commit = new GroupCommit(IntentJournal.MAX_BYTES);
    commit.submit(A, intent("vm-1", "r2", 1), checkpoint("r2"));
    GroupCommit.Batch first = commit.next(Map.of());
    commit.written(first);
    commit.submit(A, intent("vm-2", "r3", 2), checkpoint("r3"));

    GroupCommit.Batch second = commit.next(first.data());

    assertThat(JournalEntry.decode(second.data().get(A.text())).checkpoint().envRevision)
        .isEqualTo("r3");
  }

  private static PhalaAppStatus checkpoint(String revision) {
    PhalaAppStatus status = new PhalaAppStatus();
    status.envRevision = revision;
    return status;
  }

  @Test
  void anEntryIsDropped_onlyOnceAStatusHoldsItsLatestWrite() {
    GroupCommit commit = new GroupCommit(IntentJournal.MAX_BYTES);
    commit.submit(A, intent("vm-1", "r2", 1));
    GroupCommit.Batch first = commit.next(Map.of());
    commit.written(first);
    commit.submit(A, intent("vm-2", "r2", 2));
    GroupCommit.Batch second = commit.next(first.data());
    commit.written(second);

    commit.subsumed(A, first.seq());
    assertThat(commit.hasDrops(second.data())).isFalse();
    commit.subsumed(A, second.seq());
    GroupCommit.Batch drop = commit.next(second.data());

    assertThat(drop.data()).doesNotContainKey(A.text());
  }

  @Test
  void aForgottenApp_losesItsEntryInTheNextWrite() {
    GroupCommit commit = new GroupCommit(IntentJournal.MAX_BYTES);
    commit.submit(A, intent("vm-1", "r2", 1));
    GroupCommit.Batch first = commit.next(Map.of());
    commit.written(first);

    commit.forget(A);

    assertThat(commit.next(first.data()).data()).isEmpty();
  }

  @Test
  void whenTheJournalIsFull_theSubmissionIsRefused_andItsPassWritesStatusInstead() {
    GroupCommit commit = new GroupCommit(120);
    GroupCommit.Submission a = commit.submit(A, intent("vm-1", "r2", 1));
    GroupCommit.Submission b = commit.submit(B, intent("vm-2", "r2", 1));

    GroupCommit.Batch batch = commit.next(Map.of());
    commit.written(batch);

    assertThat(a.done()).isCompletedWithValue(OptionalLong.of(batch.seq()));
    assertThat(b.done()).isCompletedWithValue(OptionalLong.empty());
    assertThat(batch.data()).containsOnlyKeys(A.text());
  }

  @Test
  void aConflict_putsTheBatchBackForTheNextWrite_overWhatTheOtherWriterLeft() {
    GroupCommit commit = new GroupCommit(IntentJournal.MAX_BYTES);
    GroupCommit.Submission a = commit.submit(A, intent("vm-1", "r2", 1));
    GroupCommit.Batch lost = commit.next(Map.of());
    commit.conflicted(lost);
    Map<String, String> other =
        Map.of(B.text(), new JournalEntry(7, intent("vm-b", "r9", 3)).encode());

    GroupCommit.Batch again = commit.next(other);
    commit.written(again);

    assertThat(again.data()).containsOnlyKeys(A.text(), B.text());
    assertThat(again.seq()).isGreaterThan(7);
    assertThat(a.done()).isCompletedWithValue(OptionalLong.of(again.seq()));
  }

  @Test
  void aFailedWrite_failsEveryPassOfTheBatch_soNoneSendsItsStep() {
    GroupCommit commit = new GroupCommit(IntentJournal.MAX_BYTES);
    GroupCommit.Submission a = commit.submit(A, intent("vm-1", "r2", 1));

    commit.failed(commit.next(Map.of()), new IllegalStateException("the API server refused"));

    assertThat(a.done()).isCompletedExceptionally();
  }

  /**
   * Generated arrival orders: passes of 6 apps hand in intents, batches are taken and written (or
   * lost to a conflict) at random moments, statuses subsume what their pass knew. Every completed
   * submission is in the journal version that completed it; no intent a status does not hold is
   * ever missing; an entry goes only after a status held its latest write.
   */
  @Test
  void generatedArrivalOrders_loseNoIntent_andCompleteNoneBeforeItsWrite() {
    for (long seed = 0; seed < 300; seed++) {
      Random random = new Random(seed);
      GroupCommit commit = new GroupCommit(IntentJournal.MAX_BYTES);
      Map<String, String> etcd = Map.of();
      List<JournalKey> apps = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        apps.add(new JournalKey("ns", "app-" + i, "uid-" + i));
      }
      Map<JournalKey, Long> heldByStatus = new HashMap<>();
      Map<JournalKey, Long> lastWritten = new HashMap<>();
      List<GroupCommit.Submission> waiting = new ArrayList<>();
      for (int step = 0; step < 60; step++) {
        int what = random.nextInt(4);
        if (what == 0) {
          // one pass at a time per app: it waits for its write before its next intent
          JournalKey app = apps.get(random.nextInt(apps.size()));
          if (waiting.stream().noneMatch(s -> s.key().equals(app) && !s.done().isDone())) {
            waiting.add(
                commit.submit(app, intent("vm-" + random.nextInt(3), "r" + step, step % 10)));
          }
        } else if (what == 1) {
          GroupCommit.Batch batch = commit.next(etcd);
          if (batch == null) {
            continue;
          }
          if (random.nextInt(5) == 0) {
            commit.conflicted(batch);
            continue;
          }
          for (String dropped : batch.dropped()) {
            JournalKey key = JournalKey.parse(dropped).orElseThrow();
            assertThat(heldByStatus.getOrDefault(key, -1L))
                .as("seed %d: dropped only once a status held it", seed)
                .isGreaterThanOrEqualTo(lastWritten.getOrDefault(key, 0L));
          }
          etcd = batch.data();
          commit.written(batch);
          for (GroupCommit.Submission s : batch.written()) {
            lastWritten.put(s.key(), batch.seq());
            JournalEntry entry = JournalEntry.decode(etcd.get(s.key().text()));
            assertThat(entry.intents()).containsAllEntriesOf(s.intents());
          }
        } else if (what == 2) {
          JournalKey app = apps.get(random.nextInt(apps.size()));
          long known = lastWritten.getOrDefault(app, 0L);
          if (known > 0) {
            heldByStatus.merge(app, known, Math::max);
            commit.subsumed(app, known);
          }
        }
        for (GroupCommit.Submission s : waiting) {
          if (s.done().isDone()) {
            long seq = s.done().join().orElseThrow();
            assertThat(lastWritten.get(s.key())).isGreaterThanOrEqualTo(seq);
          }
        }
        for (JournalKey app : apps) {
          long written = lastWritten.getOrDefault(app, 0L);
          if (written > heldByStatus.getOrDefault(app, 0L)) {
            assertThat(etcd)
                .as("seed %d: an intent no status holds is kept", seed)
                .containsKey(app.text());
          }
        }
      }
    }
  }
}
