package cloud.phala.operator.app.sync.decide;

import static cloud.phala.operator.app.sync.decide.Seen.condition;
import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.cloud.CvmState;
import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * spec.minReadySeconds, decided: a CVM counts as available only once the passes have seen it
 * serving its revision for that long, and the rollout takes no other replica down before.
 */
class MinReadySecondsTest {
  private final Decider decider = new Decider(new Revision(new byte[32]));

  private Decision decide(Seen seen) {
    return decider.decide(seen.observation());
  }

  private static PhalaAppStatus statusOf(Seen seen, Decision decision) {
    return StatusReport.of(seen.app, decision, seen.states, decision.convergingAfterSteps());
  }

  /** The previous status saw CVM {@code id} running since {@code secondsAgo} seconds ago. */
  private static Seen runningFor(Seen seen, String id, long secondsAgo) {
    PhalaAppStatus.CvmStatus cvm =
        seen.status.cvms.stream().filter(c -> id.equals(c.cvmId)).findFirst().orElseThrow();
    cvm.phase = "running";
    cvm.runningSince = Seen.NOW.minusSeconds(secondsAgo).toString();
    return seen;
  }

  private static PhalaAppStatus.CvmStatus cvm(PhalaAppStatus status, String id) {
    return status.cvms.stream().filter(c -> id.equals(c.cvmId)).findFirst().orElseThrow();
  }

  /** Two replicas, one at a time: vm-1 already runs rev-2, vm-2 still rev-1. */
  private static Seen halfRolled() {
    Seen seen = new Seen().replicas(2).serving("vm-1", "rev-2").serving("vm-2", "rev-1");
    seen.app.getSpec().minReadySeconds = 60;
    return runningFor(seen, "vm-2", 3600);
  }

  @Test
  void aReplicaFirstSeenServing_isRunningSinceThisPass_andNotAvailableYet() {
    Seen seen = halfRolled();

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(cvm(status, "vm-1").runningSince).isEqualTo(Seen.NOW.toString());
    assertThat(status.readyReplicas).isEqualTo(2);
    assertThat(status.availableReplicas).isEqualTo(1);
  }

  @Test
  void aReplicaFirstSeenServing_isRunningSinceTheListingWasRead_neverSinceBefore() {
    Seen seen = halfRolled();
    seen.listedAt = Seen.NOW.plusMillis(800);

    PhalaAppStatus status = statusOf(seen, decide(seen));

    assertThat(cvm(status, "vm-1").runningSince).isEqualTo(Seen.NOW.plusMillis(800).toString());
    assertThat(cvm(status, "vm-2").runningSince)
        .as("a record kept from the previous pass stays")
        .isEqualTo(Seen.NOW.minusSeconds(3600).toString());
  }

  @Test
  void withoutMinReadySeconds_aReplicaListedServingAfterThePassBegan_isAvailableInThatPass() {
    Seen seen = new Seen().replicas(1).serving("vm-1", "rev-2");
    seen.listedAt = Seen.NOW.plusMillis(800);

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(status.availableReplicas).isEqualTo(1);
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
  }

  @Test
  void whileTheUpdatedReplicaHasRunForLessThanMinReadySeconds_noOtherReplicaIsTakenDown() {
    Seen seen = runningFor(halfRolled(), "vm-1", 59);

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    assertThat(decision.convergingAfterSteps()).isTrue();
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Progressing").getReason()).isEqualTo("RollingOut");
    assertThat(cvm(status, "vm-1").runningSince).isEqualTo(Seen.NOW.minusSeconds(59).toString());
  }

  @Test
  void onceItHasRunForMinReadySeconds_theNextReplicaIsUpdated() {
    Seen seen = runningFor(halfRolled(), "vm-1", 60);

    Decision decision = decide(seen);

    assertThat(decision.steps())
        .singleElement()
        .isInstanceOfSatisfying(Step.Update.class, u -> assertThat(u.vmUuid()).isEqualTo("vm-2"));
    Step.Update update = (Step.Update) decision.steps().get(0);
    decision.draft().updated("vm-2", update.intent());
    PhalaAppStatus status = statusOf(seen, decision);
    assertThat(cvm(status, "vm-2").runningSince).as("restarting: counts again").isNull();
    assertThat(cvm(status, "vm-1").runningSince).isEqualTo(Seen.NOW.minusSeconds(60).toString());
  }

  @Test
  void aReplicaWhoseStepInDoubtCameThroughSinceItWasSeenRunning_startsCountingAgain() {
    Seen seen = new Seen().replicas(1).serving("vm-1", "rev-1").intent("vm-1", "rev-2");
    runningFor(seen, "vm-1", 600);
    // up for 20s, the intent was written 60s ago: the update restarted it
    seen.states.put(
        "vm-1",
        new CvmState("running", false, Optional.empty(), Optional.of(Duration.ofSeconds(20))));

    PhalaAppStatus status = statusOf(seen, decide(seen));

    assertThat(cvm(status, "vm-1").envRevision).isEqualTo("rev-2");
    assertThat(cvm(status, "vm-1").runningSince).isEqualTo(Seen.NOW.toString());
  }

  @Test
  void aReplicaSeenNotRunningByThePreviousPass_startsCountingAgain() {
    Seen seen = runningFor(halfRolled(), "vm-1", 600);
    cvm(seen.status, "vm-1").phase = "starting";

    Decision decision = decide(seen);

    assertThat(cvm(statusOf(seen, decision), "vm-1").runningSince).isEqualTo(Seen.NOW.toString());
    assertThat(decision.steps()).isEmpty();
  }

  @Test
  void aRecordThatIsNoTime_orInTheFuture_countsAsNoRecord() {
    Seen seen = runningFor(halfRolled(), "vm-1", 600);
    cvm(seen.status, "vm-1").runningSince = "yesterday";
    Seen ahead = runningFor(halfRolled(), "vm-1", -86_400);

    Decision decision = decide(seen);

    assertThat(cvm(statusOf(seen, decision), "vm-1").runningSince).isEqualTo(Seen.NOW.toString());
    assertThat(decision.steps()).isEmpty();
    assertThat(cvm(statusOf(ahead, decide(ahead)), "vm-1").runningSince)
        .isEqualTo(Seen.NOW.toString());
  }

  @Test
  void aReplicaWarmingUpPastReadyTimeout_hasNotFailed_readyTimeoutCountsOnlyToRunning() {
    // given rev-2 600s ago (Seen's updatedAt), running for 10s of 60, readyTimeout 1m
    Seen seen = runningFor(halfRolled(), "vm-1", 10).rollout(r -> r.readyTimeout = "1m");

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    assertThat(status.rollout == null || status.rollout.failedRevision == null).isTrue();
    assertThat(condition(status, "Progressing").getReason()).isEqualTo("RollingOut");
  }

  @Test
  void withSurge_theOldReplicaIsRemovedOnlyOnceTheNewOneHasRunForMinReadySeconds() {
    Seen seen =
        new Seen()
            .replicas(1)
            .rollout(
                r -> {
                  r.maxSurge = new IntOrString(1);
                  r.maxUnavailable = new IntOrString(0);
                })
            .serving("vm-old", "rev-1")
            .serving("vm-new", "rev-2");
    seen.app.getSpec().minReadySeconds = 30;
    runningFor(seen, "vm-old", 3600);
    runningFor(seen, "vm-new", 10);

    assertThat(decide(seen).steps()).isEmpty();

    runningFor(seen, "vm-new", 30);
    assertThat(decide(seen).steps())
        .singleElement()
        .isInstanceOfSatisfying(Step.Remove.class, r -> assertThat(r.vmUuid()).isEqualTo("vm-old"));
  }

  @Test
  void theLastReplicaWarmingUp_keepsTheAppProgressing_untilItHasRunLongEnough() {
    Seen seen = new Seen().replicas(1).serving("vm-1", "rev-2");
    seen.app.getSpec().minReadySeconds = 60;
    runningFor(seen, "vm-1", 20);

    Decision warming = decide(seen);
    PhalaAppStatus during = statusOf(seen, warming);
    runningFor(seen, "vm-1", 60);
    PhalaAppStatus after = statusOf(seen, decide(seen));

    assertThat(warming.convergingAfterSteps()).isTrue();
    assertThat(condition(during, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(during, "Ready").getMessage())
        .isEqualTo("0/1 replicas run revision rev-2; 1 more for less than spec.minReadySeconds");
    assertThat(condition(during, "Progressing").getStatus()).isEqualTo("True");
    assertThat(during.availableReplicas).isZero();
    assertThat(during.ready).isEqualTo("1/1");
    assertThat(condition(after, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(after, "Progressing").getReason()).isEqualTo("Converged");
    assertThat(after.availableReplicas).isEqualTo(1);
  }

  @Test
  void withoutMinReadySeconds_aReplicaIsAvailableTheMomentItServes() {
    Seen seen = new Seen().replicas(2).serving("vm-1", "rev-2").serving("vm-2", "rev-1");

    Decision decision = decide(seen);

    assertThat(statusOf(seen, decision).availableReplicas).isEqualTo(2);
    assertThat(decision.steps()).singleElement().isInstanceOf(Step.Update.class);
  }
}
