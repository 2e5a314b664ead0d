package cloud.phala.operator.app.sync.decide;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.cloud.CvmState;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Decide which failed CVMs' boot errors ({@code GET /state}) a pass must read. */
class BootErrorReadsTest {
  private final Decider decider = new Decider(new Revision(new byte[32]));

  /** rev-2 failed to boot on vm-1 a minute ago and was halted; vm-2 still serves rev-1. */
  private static Seen halted() {
    Seen seen =
        new Seen().replicas(2).cvm("vm-1", "error", false, "rev-2").serving("vm-2", "rev-1");
    seen.status.rollout = new PhalaAppStatus.RolloutStatus();
    seen.status.rollout.failedRevision = "rev-2";
    seen.status.rollout.failure = "CVM vm-1 failed to boot revision rev-2: exit 1";
    seen.status.rollout.failedAt = Seen.NOW.minusSeconds(60).toString();
    seen.status.rollout.action = "Halted";
    return seen;
  }

  @Test
  void aHaltedRollout_needsNoBootErrors_itsFailureIsAlreadyRecorded() {
    assertThat(decider.listedReads(halted().observation()).bootErrors()).isFalse();
  }

  @Test
  void aHaltedRollout_reportsTheSameStatus_withOrWithoutTheBootErrorRead() {
    Seen unread = halted();
    Seen read = halted();
    read.states.put("vm-1", new CvmState("error", false, Optional.of("exit 1"), Optional.empty()));

    PhalaAppStatus without = status(unread);
    PhalaAppStatus with = status(read);

    assertThat(without.conditions).isEqualTo(with.conditions);
    assertThat(without.rollout.failure).isEqualTo(with.rollout.failure);
    assertThat(without.phase).isEqualTo("Halted");
  }

  @Test
  void aRetriedHaltedRollout_needsTheBootErrors_aNewFailureIsDescribedWithThem() {
    Seen seen = halted().rollout(r -> r.retryAt = Seen.NOW.minusSeconds(10).toString());

    assertThat(decider.listedReads(seen.observation()).bootErrors()).isTrue();
  }

  @Test
  void aFailedBoot_beforeAnyRecordedFailure_needsItsBootError() {
    Seen seen =
        new Seen().replicas(2).cvm("vm-1", "error", false, "rev-2").serving("vm-2", "rev-1");

    assertThat(decider.listedReads(seen.observation()).bootErrors()).isTrue();
  }

  private PhalaAppStatus status(Seen seen) {
    Decision decision = decider.decide(seen.observation());
    Map<String, CvmState> states = Map.copyOf(seen.states);
    return StatusReport.of(seen.app, decision, states, decision.convergingAfterSteps());
  }
}
