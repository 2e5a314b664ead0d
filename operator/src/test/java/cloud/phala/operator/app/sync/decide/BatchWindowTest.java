package cloud.phala.operator.app.sync.decide;

import static cloud.phala.operator.app.sync.decide.Seen.condition;
import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.owner.Claim;
import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.cloud.AppRevision;
import cloud.phala.operator.cloud.ComposeSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crypto.EnvPrivateKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * spec.rollout.batchWindow, decided: a running app's new revision waits until its inputs have not
 * changed for the window (at most 5 windows in all), then rolls out once.
 */
class BatchWindowTest {
  private static final Instant NOW = Seen.NOW;
  private final Decider decider = new Decider(new Revision(new byte[32]));

  private Decision decide(Seen seen) {
    return decider.decide(seen.observation());
  }

  private static PhalaAppStatus statusOf(Seen seen, Decision decision) {
    return StatusReport.of(seen.app, decision, seen.states, decision.convergingAfterSteps());
  }

  /** Two replicas on rev-1; the previous pass desired {@code before}; now rev-2 is desired. */
  private static Seen changed(String before) {
    Seen seen =
        new Seen()
            .replicas(2)
            .serving("vm-1", "rev-1")
            .serving("vm-2", "rev-1")
            .rollout(r -> r.batchWindow = "30s");
    seen.status.envRevision = before;
    return seen;
  }

  /**
   * The previous status recorded a wait begun {@code began}s ago, last change {@code last}s ago.
   */
  private static Seen waiting(Seen seen, long began, long last) {
    seen.status.rollout = new PhalaAppStatus.RolloutStatus();
    seen.status.rollout.waitingSince = NOW.minusSeconds(began).toString();
    seen.status.rollout.desiredSince = NOW.minusSeconds(last).toString();
    return seen;
  }

  @Test
  void aNewRevisionOfARunningApp_waitsForTheWindow_andSaysUntilWhen() {
    Seen seen = changed("rev-1");

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    assertThat(decision.wakeAt()).contains(NOW.plusSeconds(30));
    assertThat(status.rollout.desiredSince).isEqualTo(NOW.toString());
    assertThat(status.rollout.waitingSince).isEqualTo(NOW.toString());
    assertThat(status.phase).isEqualTo("Rolling");
    assertThat(condition(status, "Progressing").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Progressing").getReason()).isEqualTo("BatchWindow");
    assertThat(condition(status, "Progressing").getMessage())
        .isEqualTo(
            "waiting for the spec and its Secrets and ConfigMaps to stay unchanged for 30s before"
                + " rolling out; revision rev-2 starts rolling out at "
                + NOW.plusSeconds(30));
    assertThat(decision.notes().toRecord(seen.status))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.warning()).isFalse();
              assertThat(n.reason().wire()).isEqualTo("BatchWindow");
            });
  }

  @Test
  void theWait_isAnnouncedOnce() {
    Seen seen = waiting(changed("rev-2"), 10, 10);
    seen.previousCondition(
        "Progressing",
        "True",
        "BatchWindow",
        BatchWindow.waiting(java.time.Duration.ofSeconds(30)));

    Decision decision = decide(seen);

    assertThat(decision.steps()).isEmpty();
    assertThat(decision.notes().toRecord(seen.status)).isEmpty();
  }

  @Test
  void aWaitRecordedBeforeARestart_goesOnUntilTheWindowIsQuiet() {
    Seen seen = waiting(changed("rev-2"), 20, 20);

    Decision decision = decide(seen);

    assertThat(decision.steps()).isEmpty();
    assertThat(decision.wakeAt()).contains(NOW.plusSeconds(10));
    assertThat(statusOf(seen, decision).rollout.waitingSince)
        .isEqualTo(NOW.minusSeconds(20).toString());
  }

  @Test
  void anotherChangeWithinTheWindow_restartsTheWait() {
    Seen seen = waiting(changed("rev-1b"), 20, 20);

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    assertThat(decision.wakeAt()).contains(NOW.plusSeconds(30));
    assertThat(status.rollout.desiredSince).isEqualTo(NOW.toString());
    assertThat(status.rollout.waitingSince).isEqualTo(NOW.minusSeconds(20).toString());
  }

  @Test
  void aChangeMidRollout_waitsToo_withNoReplicaTakenDownMeanwhile() {
    Seen seen = changed("rev-1b");
    seen.status.cvms.get(0).envRevision = "rev-1b";

    Decision decision = decide(seen);

    assertThat(decision.steps()).isEmpty();
    assertThat(decision.wakeAt()).contains(NOW.plusSeconds(30));
  }

  @Test
  void aChangeAfterAWaitWhoseEndPassedUnactedOn_beginsAWaitOfItsOwn() {
    // the wait of rev-1b ended 100s ago while passes were blocked (a Secret key missing)
    Seen seen = waiting(changed("rev-1b"), 130, 130);

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    assertThat(decision.wakeAt()).contains(NOW.plusSeconds(30));
    assertThat(status.rollout.waitingSince).isEqualTo(NOW.toString());
  }

  @Test
  void onceTheInputsWereQuietForTheWindow_theRolloutStarts_andTheWaitIsForgotten() {
    Seen seen = waiting(changed("rev-2"), 30, 30);

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).singleElement().isInstanceOf(Step.Update.class);
    assertThat(decision.wakeAt()).isEmpty();
    assertThat(status.rollout).isNull();
    assertThat(condition(status, "Progressing").getReason()).isEqualTo("RollingOut");
  }

  @Test
  void inputsThatNeverSettle_rollOutFiveWindowsAfterTheFirstChange() {
    Seen seen = waiting(changed("rev-1e"), 149, 1);
    assertThat(decide(seen).wakeAt()).contains(NOW.plusSeconds(1));

    Seen later = waiting(changed("rev-1f"), 150, 1);
    assertThat(decide(later).steps()).singleElement().isInstanceOf(Step.Update.class);
  }

  @Test
  void aWaitRecordedAsBeginningInTheFuture_orNotAsATime_holdsNothing() {
    Seen seen = waiting(changed("rev-2"), -86_400, -86_400);

    Decision decision = decide(seen);

    assertThat(decision.steps()).singleElement().isInstanceOf(Step.Update.class);
    assertThat(statusOf(seen, decision).rollout).isNull();

    Seen garbled = waiting(changed("rev-2"), 5, 5);
    garbled.status.rollout.waitingSince = "soon";
    assertThat(decide(garbled).steps()).singleElement().isInstanceOf(Step.Update.class);
  }

  @Test
  void aFirstDeploy_neverWaits() {
    Seen seen = new Seen().rollout(r -> r.batchWindow = "30s");
    seen.claim = new Claim.Unclaimed();

    Decision decision = decide(seen);

    assertThat(decision.steps()).singleElement().isInstanceOf(Step.Provision.class);
    assertThat(decision.wakeAt()).isEmpty();
  }

  @Test
  void scalingAlone_neverWaits() {
    Seen seen = changed("rev-2").replicas(3);
    seen.status.cvms.forEach(c -> c.envRevision = "rev-2");

    Decision decision = decide(seen);

    assertThat(decision.steps()).singleElement().isInstanceOf(Step.AddReplica.class);
  }

  @Test
  void withoutAWindow_aNewRevisionRollsOutAtOnce_andAnOldWaitIsForgotten() {
    Seen seen = waiting(changed("rev-1"), 5, 5).rollout(r -> r.batchWindow = null);

    Decision decision = decide(seen);

    assertThat(decision.steps()).singleElement().isInstanceOf(Step.Update.class);
    assertThat(statusOf(seen, decision).rollout).isNull();
  }

  @Test
  void aRollback_neverWaits() {
    Seen seen =
        new Seen().replicas(2).cvm("vm-1", "error", false, "rev-2").serving("vm-2", "rev-1");
    seen.rollout(r -> r.batchWindow = "30s");
    seen.status.envRevision = "rev-2";
    seen.status.rollout = new PhalaAppStatus.RolloutStatus();
    seen.status.rollout.waitingSince = NOW.minusSeconds(5).toString();
    seen.status.rollout.desiredSince = NOW.minusSeconds(5).toString();
    seen.status.rollout.failedRevision = "rev-2";
    seen.status.rollout.failure = "CVM vm-1 failed to boot revision rev-2";
    seen.status.rollout.action = "RolledBack";
    seen.status.rollout.lastGoodRevision = "rev-1";
    AppRevision r1 =
        new AppRevision(
            "r1",
            Seen.APP_ID,
            "vm-2",
            "hash-1",
            "deploy",
            Optional.of(new ComposeSpec(Seen.COMPOSE, null, List.of("TOKEN"))),
            Optional.of(
                EnvSealer.seal(
                    EnvPrivateKey.generate(new SecureRandom()).publicKey(),
                    EnvSet.builder().put("TOKEN", "old").build())));
    seen.status.rollout.rollbackRecord =
        new RollbackRecords(new Revision(new byte[32]))
            .record(seen.app, Seen.APP_ID, "rev-1", "compose-1", r1);
    seen.rollback = Observation.Lookup.found(r1);

    Decision decision = decide(seen);

    assertThat(decision.steps())
        .singleElement()
        .isInstanceOfSatisfying(
            Step.Update.class,
            u -> assertThat(u.change()).isEqualTo(new Step.Change.Redeploy("r1")));
    assertThat(decision.wakeAt()).isEmpty();
  }
}
