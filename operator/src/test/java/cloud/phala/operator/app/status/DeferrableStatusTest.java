package cloud.phala.operator.app.status;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeferrableStatusTest {
  private static PhalaAppStatus.CvmStatus cvm(String id, String phase, String revision) {
    PhalaAppStatus.CvmStatus cvm = new PhalaAppStatus.CvmStatus();
    cvm.cvmId = id;
    cvm.phase = phase;
    cvm.envRevision = revision;
    cvm.composeRevision = "c1";
    cvm.updatedAt = "2026-01-01T00:00:00Z";
    return cvm;
  }

  private static PhalaAppStatus status(int ready, PhalaAppStatus.CvmStatus... cvms) {
    PhalaAppStatus status = new PhalaAppStatus();
    status.envRevision = "r2";
    status.readyReplicas = ready;
    status.cvms = List.of(cvms);
    status.conditions =
        List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus("False")
                .withMessage("0/2 replicas run revision r2")
                .build());
    return status;
  }

  /** The intent as written before the PATCH: CVM a shown restarting, its step still an intent. */
  private static PhalaAppStatus intentWritten() {
    PhalaAppStatus.CvmStatus a = cvm("a", "updating", "r1");
    a.intent = new PhalaAppStatus.Intent();
    a.intent.envRevision = "r2";
    a.intent.composeRevision = "c1";
    a.intent.since = "2026-01-02T00:00:00Z";
    return status(1, a, cvm("b", "running", "r1"));
  }

  private static PhalaAppStatus.CvmStatus given(String phase) {
    PhalaAppStatus.CvmStatus a = cvm("a", phase, "r2");
    a.updatedAt = "2026-01-02T00:00:00Z";
    return a;
  }

  @Test
  void theStepAccepted_andTheCvmStillBooting_mayWaitForTheNextWrite() {
    PhalaAppStatus written = intentWritten();

    assertThat(
            DeferrableStatus.mayWait(
                written, status(1, given("updating"), cvm("b", "running", "r1"))))
        .as("the intent settled as given")
        .isTrue();
    assertThat(
            DeferrableStatus.mayWait(
                written, status(1, given("starting"), cvm("b", "running", "r1"))))
        .as("and the CVM moved on from updating to starting, serving neither time")
        .isTrue();
  }

  @Test
  void aCvmServingAgain_aCountOrAConditionChanged_orAnIntentSettledOtherwise_isWrittenNow() {
    PhalaAppStatus written = intentWritten();

    assertThat(
            DeferrableStatus.mayWait(
                written, status(2, given("running"), cvm("b", "running", "r1"))))
        .isFalse();
    PhalaAppStatus degraded = status(1, given("starting"), cvm("b", "running", "r1"));
    degraded.conditions = List.of(new ConditionBuilder().withType("Degraded").build());
    assertThat(DeferrableStatus.mayWait(written, degraded)).isFalse();
    PhalaAppStatus notGiven = status(1, cvm("a", "updating", "r1"), cvm("b", "running", "r1"));
    assertThat(DeferrableStatus.mayWait(written, notGiven))
        .as("the intent dropped, the CVM keeping its revision: a fresh operator must see that")
        .isFalse();
    assertThat(DeferrableStatus.mayWait(written, status(1, given("updating"))))
        .as("a CVM gone")
        .isFalse();
    assertThat(DeferrableStatus.mayWait(null, written)).isFalse();
  }
}
