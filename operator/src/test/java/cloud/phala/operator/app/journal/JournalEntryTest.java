package cloud.phala.operator.app.journal;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalEntryTest {
  @Test
  void anEntry_survivesItsWireForm() {
    JournalEntry entry =
        new JournalEntry(
            12, Map.of("vm-1", new JournalEntry.Intended("r2", "c1", "2026-12-03T10:01:00Z")));

    assertThat(JournalEntry.decode(entry.encode())).isEqualTo(entry);
  }

  @Test
  void anEntryWithItsCheckpoint_survivesItsWireForm() {
    PhalaAppStatus checkpoint = new PhalaAppStatus();
    checkpoint.envRevision = "r2";
    checkpoint.rollout = new PhalaAppStatus.RolloutStatus();
    checkpoint.rollout.lastGoodRevision = "r1";
    JournalEntry entry =
        new JournalEntry(
            12,
            Map.of("vm-1", new JournalEntry.Intended("r2", "c1", "2026-12-03T10:01:00Z")),
            checkpoint);

    JournalEntry back = JournalEntry.decode(entry.encode());

    assertThat(back.encode()).isEqualTo(entry.encode());
    assertThat(back.checkpoint().rollout.lastGoodRevision).isEqualTo("r1");
  }

  @Test
  void aKey_isParsedBack_evenWithDotsInTheName() {
    JournalKey key = new JournalKey("team-a", "web.v2", "0f1e-22");

    assertThat(JournalKey.parse(key.text())).contains(key);
  }

  @Test
  void aKeyTooLongForAConfigMap_doesNotFit() {
    assertThat(new JournalKey("ns", "n".repeat(250), "0f1e-22").fits()).isFalse();
  }
}
