package cloud.phala.operator.app.sync.decide;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.api.model.IntOrString;
import org.junit.jupiter.api.Test;

/** Decide, for spec.restartAt: which CVMs restart, how many at once, and when it is done. */
class RestartDeciderTest {
  private final Decider decider = new Decider(new Revision(new byte[32]));

  private Decision decide(Seen seen) {
    return decider.decide(seen.observation());
  }

  private static PhalaAppStatus statusOf(Seen seen, Decision decision) {
    return StatusReport.of(seen.app, decision, seen.states, decision.convergingAfterSteps());
  }

  /** Three serving CVMs on the desired revision, given it ten minutes ago. */
  private static Seen atRest() {
    return new Seen()
        .replicas(3)
        .serving("vm-1", "rev-2")
        .serving("vm-2", "rev-2")
        .serving("vm-3", "rev-2");
  }

  @Test
  void aRestartAtThatHasCome_restartsAsManyCvmsAsMaxUnavailableAllows_envUnchanged() {
    Seen seen = atRest();
    seen.app.getSpec().restartAt = Seen.NOW.minusSeconds(5).toString();

    Decision decision = decide(seen);

    assertThat(decision.steps()).singleElement().isInstanceOf(Step.Update.class);
    Step.Update update = (Step.Update) decision.steps().get(0);
    assertThat(update.change()).isEqualTo(new Step.Change.Restart());
    assertThat(update.intent().revision()).isEqualTo("rev-2");
    assertThat(update.intent().since()).isEqualTo(Seen.NOW);
  }

  @Test
  void aRestartAtStillAhead_restartsNothing() {
    Seen seen = atRest();
    seen.app.getSpec().restartAt = Seen.NOW.plusSeconds(60).toString();

    assertThat(decide(seen).steps()).isEmpty();
  }

  @Test
  void aRestartAtWithAnOffset_isReadAsThatInstant() {
    Seen seen = atRest();
    seen.app.getSpec().restartAt = "2026-12-03T10:59:00+01:00";

    assertThat(decide(seen).steps()).hasSize(1);
  }

  @Test
  void cvmsGivenTheirRevisionSinceTheRestartAt_areNotRestarted_andStatusSaysRestarted() {
    Seen seen = atRest();
    seen.app.getSpec().restartAt = Seen.NOW.minusSeconds(900).toString();

    Decision decision = decide(seen);

    assertThat(decision.steps()).isEmpty();
    assertThat(statusOf(seen, decision).restartedAt).isEqualTo(seen.app.getSpec().restartAt);
  }

  @Test
  void aRestartUnderWay_isNotReportedDone() {
    Seen seen = atRest();
    seen.app.getSpec().restartAt = Seen.NOW.minusSeconds(5).toString();
    seen.status.cvms.get(0).updatedAt = Seen.NOW.minusSeconds(2).toString();
    seen.status.cvms.get(1).updatedAt = Seen.NOW.minusSeconds(2).toString();

    Decision decision = decide(seen);

    assertThat(decision.steps())
        .singleElement()
        .satisfies(s -> assertThat(((Step.Update) s).vmUuid()).isEqualTo("vm-3"));
    assertThat(statusOf(seen, decision).restartedAt).isNull();
  }

  @Test
  void aBusyCvm_isNeverRestarted_andTakesTheAvailabilityBudget() {
    Seen seen =
        new Seen()
            .replicas(3)
            .cvm("vm-1", "restarting", true, "rev-2")
            .serving("vm-2", "rev-2")
            .serving("vm-3", "rev-2");
    seen.app.getSpec().restartAt = Seen.NOW.minusSeconds(5).toString();

    assertThat(decide(seen).steps()).isEmpty();
  }

  @Test
  void withNoUnavailabilityAllowed_aSurgeReplicaMakesRoomFirst() {
    Seen seen =
        atRest()
            .rollout(
                r -> {
                  r.maxUnavailable = new IntOrString(0);
                  r.maxSurge = new IntOrString(1);
                });
    seen.app.getSpec().restartAt = Seen.NOW.minusSeconds(5).toString();

    Decision decision = decide(seen);

    assertThat(decision.steps()).singleElement().isInstanceOf(Step.AddReplica.class);
  }

  @Test
  void aRecreateRollout_restartsEveryCvmAtOnce() {
    Seen seen =
        atRest().rollout(r -> r.strategy = cloud.phala.operator.crd.Rollout.Strategy.Recreate);
    seen.app.getSpec().restartAt = Seen.NOW.minusSeconds(5).toString();

    assertThat(decide(seen).steps())
        .hasSize(3)
        .allSatisfy(
            s -> assertThat(((Step.Update) s).change()).isEqualTo(new Step.Change.Restart()));
  }

  @Test
  void aRestartedCvmThatFailsToBoot_haltsTheRolloutLikeAnUpdate() {
    Seen seen =
        new Seen().replicas(2).cvm("vm-1", "error", false, "rev-2").serving("vm-2", "rev-2");
    seen.app.getSpec().restartAt = Seen.NOW.minusSeconds(60).toString();
    seen.status.cvms.get(0).updatedAt = Seen.NOW.minusSeconds(30).toString();

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    assertThat(status.phase).isEqualTo("Halted");
    assertThat(status.rollout.failedAt).isEqualTo(Seen.NOW.toString());
  }
}
