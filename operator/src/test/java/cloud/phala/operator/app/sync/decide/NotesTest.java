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
}
