package cloud.phala.operator.app.journal;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalOverlayTest {
  private static PhalaAppStatus status(String updatedAt, String intentSince) {
    PhalaAppStatus.CvmStatus cvm = new PhalaAppStatus.CvmStatus();
    cvm.cvmId = "vm-1";
    cvm.envRevision = "r1";
    cvm.updatedAt = updatedAt;
    if (intentSince != null) {
      cvm.intent = new PhalaAppStatus.Intent();
      cvm.intent.envRevision = "r0";
      cvm.intent.since = intentSince;
    }
    PhalaAppStatus status = new PhalaAppStatus();
    status.cvms = List.of(cvm);
    return status;
  }

  private static JournalEntry entry(String cvm, String since) {
    return new JournalEntry(3, Map.of(cvm, new JournalEntry.Intended("r2", "c1", since)));
  }

  @Test
  void anIntentOnlyTheJournalHolds_isInThePassesView() {
    PhalaAppStatus view =
        JournalOverlay.overlay(
            status("2026-12-03T10:00:00Z", null), entry("vm-1", "2026-12-03T10:01:00Z"));

    assertThat(view.cvms.get(0).intent.envRevision).isEqualTo("r2");
    assertThat(view.cvms.get(0).intent.since).isEqualTo("2026-12-03T10:01:00Z");
  }

  @Test
  void theRecordThePassSettledBeforeItsIntent_comesWithIt() {
    JournalEntry entry =
        new JournalEntry(
            4,
            Map.of(
                "vm-1",
                new JournalEntry.Intended(
                    "r3", "c2", "2026-12-03T10:02:00Z", "r2", "c1", "2026-12-03T10:01:00Z")));

    PhalaAppStatus view = JournalOverlay.overlay(status("2026-12-03T10:00:00Z", null), entry);

    assertThat(view.cvms.get(0).envRevision).isEqualTo("r2");
    assertThat(view.cvms.get(0).composeRevision).isEqualTo("c1");
    assertThat(view.cvms.get(0).updatedAt).isEqualTo("2026-12-03T10:01:00Z");
    assertThat(view.cvms.get(0).intent.envRevision).isEqualTo("r3");
  }

  @Test
  void anIntentTheStatusAlreadyShowsSettled_changesNothing() {
    PhalaAppStatus settled = status("2026-12-03T10:01:00Z", null);

    assertThat(JournalOverlay.overlay(settled, entry("vm-1", "2026-12-03T10:01:00Z")))
        .isSameAs(settled);
  }

  @Test
  void aNewerIntentInStatus_winsOverTheJournals() {
    PhalaAppStatus newer = status("2026-12-03T10:00:00Z", "2026-12-03T10:02:00Z");

    assertThat(JournalOverlay.overlay(newer, entry("vm-1", "2026-12-03T10:01:00Z")))
        .isSameAs(newer);
  }

  @Test
  void aCvmTheStatusNoLongerLists_takesNoIntent() {
    PhalaAppStatus status = status("2026-12-03T10:00:00Z", null);

    assertThat(JournalOverlay.overlay(status, entry("vm-gone", "2026-12-03T10:01:00Z")))
        .isSameAs(status);
  }

  @Test
  void aNewerEntrysCheckpoint_isTheView_whole() {
    PhalaAppStatus failed = status("2026-12-03T10:00:00Z", null);
    failed.rollout = new PhalaAppStatus.RolloutStatus();
    failed.rollout.failedRevision = "r1";
    PhalaAppStatus checkpoint = status("2026-12-03T10:00:00Z", "2026-12-03T10:01:00Z");
    checkpoint.rollout = new PhalaAppStatus.RolloutStatus();
    JournalEntry entry =
        new JournalEntry(
            5,
            Map.of("vm-1", new JournalEntry.Intended("r2", "c1", "2026-12-03T10:01:00Z")),
            checkpoint);

    PhalaAppStatus view = JournalOverlay.overlay(failed, entry);

    assertThat(view.rollout.failedRevision).isNull();
    assertThat(view.cvms.get(0).intent.since).isEqualTo("2026-12-03T10:01:00Z");
    assertThat(view).isNotSameAs(checkpoint);
  }

  @Test
  void anEntryTheStatusHolds_leavesTheStatus_evenWithACheckpoint() {
    PhalaAppStatus settled = status("2026-12-03T10:01:00Z", null);
    JournalEntry entry =
        new JournalEntry(
            5,
            Map.of("vm-1", new JournalEntry.Intended("r2", "c1", "2026-12-03T10:01:00Z")),
            new PhalaAppStatus());

    assertThat(JournalOverlay.overlay(settled, entry)).isSameAs(settled);
  }
}
