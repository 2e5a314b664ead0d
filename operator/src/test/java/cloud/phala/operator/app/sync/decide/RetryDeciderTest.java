package cloud.phala.operator.app.sync.decide;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decide, for spec.rollout.retryAt: which failures are tried again, and from where. */
class RetryDeciderTest {
  private final Decider decider = new Decider(new Revision(new byte[32]));

  private Decision decide(Seen seen) {
    return decider.decide(seen.observation());
  }

  private static PhalaAppStatus statusOf(Seen seen, Decision decision) {
    return StatusReport.of(seen.app, decision, seen.states, decision.convergingAfterSteps());
  }

  private static List<String> reasons(Seen seen, Decision decision) {
    return decision.notes().toRecord(seen.status).stream().map(n -> n.reason().wire()).toList();
  }

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
  void aHaltedRollout_withoutRetryAt_staysHalted() {
    Seen seen = halted();

    Decision decision = decide(seen);

    assertThat(decision.steps()).isEmpty();
    assertThat(statusOf(seen, decision).phase).isEqualTo("Halted");
  }

  @Test
  void aRetryAtAfterTheFailure_givesTheFailedReplicaTheRevisionAgain_andForgetsTheFailure() {
    Seen seen = halted().rollout(r -> r.retryAt = Seen.NOW.minusSeconds(10).toString());

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps())
        .singleElement()
        .satisfies(
            s -> {
              Step.Update update = (Step.Update) s;
              assertThat(update.vmUuid()).isEqualTo("vm-1");
              assertThat(update.change()).isEqualTo(new Step.Change.Env());
              assertThat(update.intent().revision()).isEqualTo("rev-2");
            });
    assertThat(status.rollout == null ? null : status.rollout.failedRevision).isNull();
    assertThat(status.phase).isNotEqualTo("Halted");
    assertThat(reasons(seen, decision)).contains("RolloutRetried");
  }

  @Test
  void aRetryAtBeforeTheFailure_retriesNothing() {
    Seen seen = halted().rollout(r -> r.retryAt = Seen.NOW.minusSeconds(600).toString());

    Decision decision = decide(seen);

    assertThat(decision.steps()).isEmpty();
    assertThat(statusOf(seen, decision).rollout.failedRevision).isEqualTo("rev-2");
  }

  @Test
  void aRetriedRollout_thatFailsAgain_isHaltedAgain_notRetriedInALoop() {
    Seen seen = halted().rollout(r -> r.retryAt = Seen.NOW.minusSeconds(10).toString());
    seen.status.rollout.failedAt = Seen.NOW.minusSeconds(5).toString();

    Decision decision = decide(seen);

    assertThat(decision.steps()).isEmpty();
    assertThat(statusOf(seen, decision).phase).isEqualTo("Halted");
  }

  @Test
  void aReplicaStillBooting_getsAFreshReadyTimeout_notAnotherRestart() {
    Seen seen =
        new Seen().replicas(2).cvm("vm-1", "starting", true, "rev-2").serving("vm-2", "rev-1");
    seen.status.rollout = new PhalaAppStatus.RolloutStatus();
    seen.status.rollout.failedRevision = "rev-2";
    seen.status.rollout.failure = "CVM vm-1 was not running revision rev-2 within readyTimeout";
    seen.status.rollout.failedAt = Seen.NOW.minusSeconds(60).toString();
    seen.status.rollout.action = "Halted";
    seen.rollout(r -> r.retryAt = Seen.NOW.toString());

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    assertThat(status.rollout == null ? null : status.rollout.failedRevision).isNull();
    assertThat(status.cvms.get(0).updatedAt).isEqualTo(Seen.NOW.toString());
  }
}
