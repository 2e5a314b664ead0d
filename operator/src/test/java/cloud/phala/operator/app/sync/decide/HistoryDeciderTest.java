package cloud.phala.operator.app.sync.decide;

import static cloud.phala.operator.app.sync.decide.Seen.condition;
import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.resolve.Resolution;
import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.cloud.AppRevision;
import cloud.phala.operator.cloud.ComposeSpec;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.crd.HistoryEntry;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crypto.EnvPrivateKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.crypto.SealedEnv;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Decide, for status.history and spec.rollout.pinnedRevision (undo). */
class HistoryDeciderTest {
  private static final String CANARY = "canary-value-7f3e9b";
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

  private static AppRevision phala(String id, String vm, Optional<SealedEnv> env) {
    return new AppRevision(
        id,
        Seen.APP_ID,
        vm,
        "hash-" + vm,
        "update",
        env.map(e -> new ComposeSpec(Seen.COMPOSE, null, List.of("TOKEN"))),
        env);
  }

  /** Two replicas serving {@code revision}, built from {@code env}, the previous history kept. */
  private static Seen rolledOut(String revision, Map<String, String> env, PhalaAppStatus before) {
    Seen seen = new Seen().replicas(2);
    seen.revision = revision;
    seen.sources = new Resolution.Resolved(EnvSet.of(env), Seen.COMPOSE, null);
    seen.serving("vm-1", revision).serving("vm-2", revision);
    seen.history =
        Observation.Lookup.found(List.of(phala("r-" + revision, "vm-1", Optional.empty())));
    if (before != null) {
      seen.status.history = before.history;
    }
    return seen;
  }

  /** rev-1 (TOKEN, OLD) then rev-2 (TOKEN changed, OLD gone, NEW added), both rolled out. */
  private PhalaAppStatus twoRevisions() {
    Seen first = rolledOut("rev-1", Map.of("TOKEN", "t1", "OLD", "o"), null);
    PhalaAppStatus one = statusOf(first, decide(first));
    Seen second = rolledOut("rev-2", Map.of("TOKEN", CANARY, "NEW", "n"), one);
    return statusOf(second, decide(second));
  }

  @Test
  void aRevisionThatRolledOutFully_isAddedToHistory_withItsPhalaRevisionAndKeyNames() {
    Seen seen = rolledOut("rev-1", Map.of("TOKEN", "t1"), null);

    PhalaAppStatus status = statusOf(seen, decide(seen));

    assertThat(status.history).singleElement();
    HistoryEntry entry = status.history.get(0);
    assertThat(entry.revision).isEqualTo(1);
    assertThat(entry.envRevision).isEqualTo("rev-1");
    assertThat(entry.phalaRevision).isEqualTo("r-rev-1");
    assertThat(entry.envKeys).containsExactly("TOKEN");
    assertThat(entry.rolledOutAt).isEqualTo(Seen.NOW.toString());
    assertThat(status.revision).isEqualTo(1);
  }

  @Test
  void theNextRevision_namesTheKeysWhoseValueOrPresenceChanged_neverAValue() {
    PhalaAppStatus status = twoRevisions();

    assertThat(status.history).extracting(e -> e.revision).containsExactly(2, 1);
    assertThat(status.history.get(0).changedKeys).containsExactly("NEW", "OLD", "TOKEN");
    assertThat(status.revision).isEqualTo(2);
    assertThat(Serialization.asJson(status)).doesNotContain(CANARY);
  }

  @Test
  void anUnchangedValue_isNotListedAsChanged() {
    Seen first = rolledOut("rev-1", Map.of("TOKEN", "t1", "LOG", "info"), null);
    PhalaAppStatus one = statusOf(first, decide(first));
    Seen second = rolledOut("rev-2", Map.of("TOKEN", "t1", "LOG", "debug"), one);

    assertThat(statusOf(second, decide(second)).history.get(0).changedKeys).containsExactly("LOG");
  }

  @Test
  void historyIsReadOnlyWhenAnEntryIsDue_notAtRest() {
    Seen due = rolledOut("rev-1", Map.of("TOKEN", "t1"), null);
    assertThat(decider.optionalReads(due.observation()).history()).isTrue();

    Seen atRest = rolledOut("rev-1", Map.of("TOKEN", "t1"), statusOf(due, decide(due)));
    assertThat(decider.optionalReads(atRest.observation()).history()).isFalse();
    assertThat(decider.optionalReads(atRest.observation()).pinnedRevision()).isEmpty();
  }

  @Test
  void historyKeepsAtMostRevisionHistoryLimitEntries() {
    PhalaAppStatus two = twoRevisions();
    Seen third = rolledOut("rev-3", Map.of("TOKEN", "t3"), two);
    third.rollout(r -> r.revisionHistoryLimit = 2);

    assertThat(statusOf(third, decide(third)).history)
        .extracting(e -> e.revision)
        .containsExactly(3, 2);
  }

  /** On rev-2 with rev-1 and rev-2 in history, pinned to {@code number}. */
  private Seen pinned(int number) {
    Seen seen = rolledOut("rev-2", Map.of("TOKEN", CANARY, "NEW", "n"), twoRevisions());
    seen.history = Observation.Lookup.notAsked();
    seen.rollout(r -> r.pinnedRevision = number);
    return seen;
  }

  @Test
  void aPinOfAnEarlierRevision_readsItsPhalaCopy_andRedeploysItThroughTheRollingUpdate() {
    Seen seen = pinned(1);
    assertThat(decider.optionalReads(seen.observation()).pinnedRevision()).contains("r-rev-1");
    SealedEnv env =
        EnvSealer.seal(
            EnvPrivateKey.generate(new SecureRandom()).publicKey(),
            EnvSet.builder().put("TOKEN", "t1").build());
    seen.pinned = Observation.Lookup.found(phala("r-rev-1", "vm-1", Optional.of(env)));

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps())
        .singleElement()
        .satisfies(
            s -> {
              Step.Update update = (Step.Update) s;
              assertThat(update.change()).isEqualTo(new Step.Change.Redeploy("r-rev-1"));
              assertThat(update.intent().revision()).isEqualTo("rev-1");
            });
    assertThat(status.revision).isEqualTo(1);
    assertThat(status.envRevision).isEqualTo("rev-1");
  }

  @Test
  void aPinAtRestOnItsRevision_readsNothing_andDoesNothing() {
    Seen seen = pinned(1);
    seen.status.cvms.forEach(c -> c.envRevision = "rev-1");

    assertThat(decider.optionalReads(seen.observation()).pinnedRevision()).isEmpty();
    Decision decision = decide(seen);
    assertThat(decision.steps()).isEmpty();
    assertThat(statusOf(seen, decision).revision).isEqualTo(1);
  }

  @Test
  void aRestartOnThePinWithoutUnavailability_readsThePinsCopy_forTheSurgeReplicaItAdds() {
    Seen seen = pinned(1);
    seen.status.cvms.forEach(c -> c.envRevision = "rev-1");
    seen.app.getSpec().restartAt = Seen.NOW.minusSeconds(5).toString();
    seen.rollout(
        r -> {
          r.maxUnavailable = new IntOrString(0);
          r.maxSurge = new IntOrString(1);
        });

    assertThat(decider.optionalReads(seen.observation()).pinnedRevision()).contains("r-rev-1");
    SealedEnv env =
        EnvSealer.seal(
            EnvPrivateKey.generate(new SecureRandom()).publicKey(),
            EnvSet.builder().put("TOKEN", "t1").build());
    seen.pinned = Observation.Lookup.found(phala("r-rev-1", "vm-1", Optional.of(env)));

    Decision decision = decide(seen);

    assertThat(decision.steps()).singleElement().isInstanceOf(Step.AddReplica.class);
    assertThat(decision.target().env().sealedTo(null)).isSameAs(env);
  }

  /**
   * Day-two simulation seed 20266199: on the pin, vm-1 failed to boot after a restart and the
   * rollout halted; a retry gives it the pinned revision again, which for a pin is a redeploy of
   * the Phala Cloud revision it was last given (vm-2, serving, is left alone).
   */
  @Test
  void aRetryOnThePin_redeploysThePinsPhalaRevisionToTheFailedCvmOnly() {
    Seen seen = pinned(1);
    seen.status.cvms.forEach(c -> c.envRevision = "rev-1");
    seen.cvms.replaceAll(
        c ->
            !c.vmUuid().equals("vm-1")
                ? c
                : new Cvm(
                    c.vmUuid(),
                    c.id(),
                    c.name(),
                    c.appId(),
                    "error",
                    false,
                    c.composeHash(),
                    c.envPublicKey(),
                    c.kmsRootKey(),
                    c.endpoint()));
    seen.status.rollout = new PhalaAppStatus.RolloutStatus();
    seen.status.rollout.lastGoodRevision = "rev-1";
    seen.status.rollout.failedRevision = "rev-1";
    seen.status.rollout.failure = "CVM vm-1 failed to boot revision rev-1: exit 1";
    seen.status.rollout.failedAt = Seen.NOW.minusSeconds(60).toString();
    seen.status.rollout.action = "Halted";
    seen.rollout(r -> r.retryAt = Seen.NOW.minusSeconds(10).toString());
    SealedEnv env =
        EnvSealer.seal(
            EnvPrivateKey.generate(new SecureRandom()).publicKey(),
            EnvSet.builder().put("TOKEN", "t1").build());
    seen.pinned = Observation.Lookup.found(phala("r-rev-1", "vm-1", Optional.of(env)));

    Decision decision = decide(seen);

    assertThat(decision.steps())
        .as("steps; notes %s", reasons(seen, decision))
        .singleElement()
        .satisfies(
            s -> {
              Step.Update update = (Step.Update) s;
              assertThat(update.vmUuid()).isEqualTo("vm-1");
              assertThat(update.change()).isEqualTo(new Step.Change.Redeploy("r-rev-1"));
              assertThat(update.intent().revision()).isEqualTo("rev-1");
            });
    assertThat(reasons(seen, decision)).contains("RolloutRetried");
  }

  @Test
  void aPinOfAnUnknownRevision_deploysNothing_andSaysSo() {
    Seen seen = pinned(7);

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    assertThat(condition(status, "Ready").getReason()).isEqualTo("PinnedRevisionUnknown");
    assertThat(reasons(seen, decision)).contains("PinnedRevisionUnknown");
  }

  @Test
  void aPinOfAnEntryEditedInStatus_isRefusedAsUnknown() {
    Seen seen = pinned(1);
    seen.status.history.get(1).phalaRevision = "r-someone-elses";

    Decision decision = decide(seen);

    assertThat(decision.steps()).isEmpty();
    assertThat(reasons(seen, decision)).contains("PinnedRevisionUnknown");
    assertThat(decider.optionalReads(seen.observation()).pinnedRevision()).isEmpty();
  }

  @Test
  void aPinOfARevisionPhalaCloudNoLongerHas_deploysNothing_andSaysSo() {
    Seen seen = pinned(1);
    seen.pinned = Observation.Lookup.missing("Phala Cloud has no revision r-rev-1 of app a");

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    assertThat(condition(status, "Ready").getReason()).isEqualTo("PinnedRevisionUnavailable");
    assertThat(condition(status, "Ready").getMessage()).contains("no revision r-rev-1");
  }

  @Test
  void removingThePin_returnsToTheRevisionOfTheCurrentInputs() {
    Seen seen = pinned(1);
    seen.status.cvms.forEach(c -> c.envRevision = "rev-1");
    seen.app.getSpec().rollout.pinnedRevision = null;

    Decision decision = decide(seen);

    assertThat(decision.steps()).singleElement().isInstanceOf(Step.Update.class);
    assertThat(((Step.Update) decision.steps().get(0)).intent().revision()).isEqualTo("rev-2");
    assertThat(statusOf(seen, decision).revision).isEqualTo(2);
  }
}
