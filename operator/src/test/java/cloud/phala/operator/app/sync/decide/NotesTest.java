package cloud.phala.operator.app.sync.decide;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotesTest {
  private static PhalaAppStatus saying(String message) {
    PhalaAppStatus status = new PhalaAppStatus();
    status.conditions =
        List.of(new ConditionBuilder().withType("Degraded").withMessage(message).build());
    return status;
  }

  @Test
  void aLastingWarning_isRecordedOnlyWhileNoPreviousConditionSaysIt() {
    Notes notes = new Notes();
    notes.warnOnce(Reason.BOOT_FAILED, "CVM a: exit 1");

    assertThat(notes.toRecord(null)).hasSize(1);
    assertThat(notes.toRecord(saying("CVM b: exit 1"))).hasSize(1);
    assertThat(notes.toRecord(saying("CVM a: exit 1"))).isEmpty();
    assertThat(notes.toRecord(saying("CVM a: exit 1; running CVMs are left as they are")))
        .isEmpty();
  }

  @Test
  void aWarningAboutAnEvent_andANormalEvent_areAlwaysRecorded() {
    Notes notes = new Notes();
    notes.warning(Reason.CLOUD_ERROR, "HTTP 503");
    notes.normal(Reason.ENV_UPDATED, "CVM a restarting");

    assertThat(notes.toRecord(saying("HTTP 503"))).hasSize(2);
  }

  @Test
  void aRolloutsRestarts_recordOneEvent_whileStatusDoesNotYetSayTheRolloutIsUnderWay() {
    Notes first = new Notes();
    first.normalOncePer("moving CVMs to revision r2", Reason.ENV_UPDATED, "CVM a restarting");
    first.normalOncePer("moving CVMs to revision r2", Reason.ENV_UPDATED, "CVM b restarting");
    assertThat(first.toRecord(saying("every CVM runs revision r1")))
        .as("two restarts in the pass that starts the rollout: one Event")
        .extracting(Notes.Note::message)
        .containsExactly("CVM a restarting");

    Notes later = new Notes();
    later.normalOncePer("moving CVMs to revision r2", Reason.ENV_UPDATED, "CVM c restarting");
    assertThat(later.toRecord(saying("moving CVMs to revision r2"))).isEmpty();
    assertThat(later.toRecord(saying("moving CVMs to revision r3"))).hasSize(1);
  }
}
