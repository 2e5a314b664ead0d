package cloud.phala.operator.app.sync.decide;

import static cloud.phala.operator.app.sync.decide.Seen.condition;
import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.owner.Claim;
import cloud.phala.operator.app.plan.Action;
import cloud.phala.operator.app.plan.Plan;
import cloud.phala.operator.app.resolve.Resolution;
import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.AppRevision;
import cloud.phala.operator.cloud.ComposeSpec;
import cloud.phala.operator.cloud.CvmState;
import cloud.phala.operator.cloud.Provisioned;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crypto.EnvPrivateKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.crypto.SealedEnv;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Decide, table by table: what one observation leads to (steps, status, Events). */
class DeciderTest {
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

  @Test
  void anOperatorSecretReferenced_blocksWithNoStep_andWarnsOnce() {
    Seen seen = new Seen();
    seen.operatorSecret = Optional.of("phala-operator-api-keys");

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    assertThat(decision.convergingAfterSteps()).isFalse();
    assertThat(status.phase).isEqualTo("Blocked");
    assertThat(condition(status, "SecretsResolved").getReason()).isEqualTo("OperatorSecret");
    assertThat(reasons(seen, decision)).containsExactly("OperatorSecret");

    Seen again = new Seen();
    again.operatorSecret = seen.operatorSecret;
    Decision second = decide(again);
    String said = condition(statusOf(again, second), "SecretsResolved").getMessage();
    again.previousCondition("SecretsResolved", "False", "OperatorSecret", said);
    assertThat(reasons(again, decider.decide(again.observation()))).isEmpty();
  }

  @Test
  void aMissingSource_blocksAndLeavesCvmsAsTheyAre() {
    Seen seen = new Seen().serving("vm-1", "rev-1");
    seen.sources = new Resolution.Missing(List.of("Secret db not found"));

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    assertThat(condition(status, "SecretsResolved").getReason()).isEqualTo("MissingSource");
    assertThat(condition(status, "SecretsResolved").getMessage())
        .isEqualTo("Secret db not found; running CVMs are left as they are");
    assertThat(status.cvms).extracting(c -> c.envRevision).containsExactly("rev-1");
  }

  @Test
  void noApiKey_blocksWithCredentialsUnavailable() {
    Seen seen = new Seen();
    seen.apiKeyProblem = Optional.of("credentials Secret api (key key) not found");

    Decision decision = decide(seen);

    assertThat(decision.steps()).isEmpty();
    assertThat(condition(statusOf(seen, decision), "Ready").getReason())
        .isEqualTo("CredentialsUnavailable");
  }

  @Test
  void aRefusedClaim_blocksWithItsReason() {
    Seen seen = new Seen();
    seen.claim = new Claim.Refused(Reason.ADOPTION_REQUIRED, "an admin must grant adoption");

    Decision decision = decide(seen);

    assertThat(decision.steps()).isEmpty();
    assertThat(decision.owned()).isEmpty();
    assertThat(condition(statusOf(seen, decision), "Ready").getReason())
        .isEqualTo("AdoptionRequired");
  }

  @Test
  void phalaCloudUnreadable_keepsConverging_andSaysSoEveryTime() {
    Seen seen = new Seen().serving("vm-1", "rev-1");
    seen.cloudProblem = Optional.of("GET /apps/{app_id}/cvms: HTTP 503");
    seen.previousCondition("Progressing", "True", "CloudUnavailable", seen.cloudProblem.get());

    Decision decision = decide(seen);

    assertThat(decision.steps()).isEmpty();
    assertThat(decision.convergingAfterSteps()).isTrue();
    assertThat(condition(statusOf(seen, decision), "Progressing").getReason())
        .isEqualTo("CloudUnavailable");
    assertThat(reasons(seen, decision)).containsExactly("CloudError");
  }

  @Test
  void aFirstDeploy_provisionsWithTheSpecDefaults_thenCommitsOnceTheKeyIsTrusted() {
    Seen seen = new Seen();
    seen.claim = new Claim.Unclaimed();
    seen.app.getSpec().instanceType = null;
    seen.app.getSpec().diskSizeGb = null;

    Decision provision = decide(seen);

    assertThat(provision.steps()).singleElement().isInstanceOf(Step.Provision.class);
    Step.Provision step = (Step.Provision) provision.steps().get(0);
    assertThat(step.request().name()).isEqualTo("ns-app-cvm");
    assertThat(step.request().instanceType()).isEqualTo("tdx.small");
    assertThat(step.request().diskSizeGb()).isEqualTo(40);
    assertThat(step.request().allowedEnvs()).containsExactly("TOKEN");

    seen.provisioned =
        Optional.of(
            new Provisioned("b".repeat(40), "hash", Seen.KEY_HEX, "kms-1", Optional.empty()));
    Decision commit = decide(seen);

    assertThat(commit.steps()).singleElement().isInstanceOf(Step.Commit.class);
    assertThat(((Step.Commit) commit.steps().get(0)).intent().revision()).isEqualTo("rev-2");
    assertThat(commit.key()).isNotNull();
  }

  @Test
  void aProvisionedAppWhoseKeyIsRefused_commitsNothing_andWaitsForAChange() {
    Seen seen = new Seen();
    seen.claim = new Claim.Unclaimed();
    seen.provisioned =
        Optional.of(
            new Provisioned("b".repeat(40), "hash", Seen.KEY_HEX, "kms-1", Optional.empty()));
    seen.key = Seen.REFUSED;

    Decision decision = decide(seen);

    assertThat(decision.steps()).isEmpty();
    assertThat(decision.convergingAfterSteps()).isFalse();
    assertThat(statusOf(seen, decision).phase).isEqualTo("Blocked");
    assertThat(reasons(seen, decision)).containsExactly("SignatureInvalid");
  }

  @Test
  void anUntrustedKeyForARunningApp_sendsNothing() {
    Seen seen = new Seen().serving("vm-1", "rev-1");
    seen.key = Seen.REFUSED;

    Decision decision = decide(seen);

    assertThat(decision.steps()).isEmpty();
    assertThat(condition(statusOf(seen, decision), "PublicKeyVerified").getStatus())
        .isEqualTo("False");
  }

  @Test
  void aRotation_updatesAsManyCvmsAsMaxUnavailableAllows_withIntentsOnTheNewRevision() {
    Seen seen =
        new Seen()
            .replicas(3)
            .serving("vm-1", "rev-1")
            .serving("vm-2", "rev-1")
            .serving("vm-3", "rev-1");

    Decision decision = decide(seen);

    assertThat(decision.steps()).hasSize(1).allMatch(s -> s instanceof Step.Update);
    Step.Update update = (Step.Update) decision.steps().get(0);
    assertThat(update.change()).isInstanceOf(Step.Change.Env.class);
    assertThat(update.intent().revision()).isEqualTo("rev-2");
    assertThat(decision.convergingAfterSteps()).isTrue();
  }

  @Test
  void aComposeChange_updatesTheCompose_notOnlyTheEnv() {
    Seen seen = new Seen().serving("vm-1", "rev-1");
    seen.composeRevision = "compose-2";
    seen.status.cvms.get(0).composeRevision = "compose-1";

    Step.Update update = (Step.Update) decide(seen).steps().get(0);

    assertThat(update.change()).isInstanceOf(Step.Change.Compose.class);
  }

  @Test
  void anAppAtRestOnTheDesiredRevision_doesNothing_andIsReady() {
    Seen seen = new Seen().replicas(2).serving("vm-1", "rev-2").serving("vm-2", "rev-2");

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    assertThat(decision.convergingAfterSteps()).isFalse();
    assertThat(status.phase).isEqualTo("Ready");
    assertThat(status.ready).isEqualTo("2/2");
    assertThat(status.updatedReplicas).isEqualTo(2);
    assertThat(status.availableReplicas).isEqualTo(2);
    assertThat(status.rollout.lastGoodRevision).isEqualTo("rev-2");
  }

  @Test
  void theStatus_namesTheVersionsTheRevisionWasComputedFrom_neverAValue() {
    Seen seen = new Seen().serving("vm-1", "rev-1");
    seen.inputs = Seen.inputs(3L, Map.of("db", "41", "api", "7"), Map.of("compose", "12"));

    PhalaAppStatus status = statusOf(seen, decide(seen));

    assertThat(status.envRevision).isEqualTo("rev-2");
    assertThat(status.observedInputs.generation).isEqualTo(3L);
    assertThat(status.observedInputs.secrets)
        .containsExactlyInAnyOrderEntriesOf(Map.of("db", "41", "api", "7"));
    assertThat(status.observedInputs.configMaps).containsExactlyEntriesOf(Map.of("compose", "12"));
  }

  @Test
  void unresolvedSources_keepTheInputsOfTheRevisionStatusStillNames() {
    Seen seen = new Seen().serving("vm-1", "rev-1");
    seen.status.envRevision = "rev-1";
    seen.status.observedInputs = Seen.inputs(2L, Map.of("db", "40"), Map.of());
    seen.sources = new Resolution.Missing(List.of("Secret db not found"));

    PhalaAppStatus status = statusOf(seen, decide(seen));

    assertThat(status.envRevision).isEqualTo("rev-1");
    assertThat(status.observedInputs.generation).isEqualTo(2L);
    assertThat(status.observedInputs.secrets).containsExactlyEntriesOf(Map.of("db", "40"));
  }

  @Test
  void midRotation_readyCountsServingCvmsOfAnyRevision_upToDateTheDesiredOnes() {
    Seen seen =
        new Seen()
            .replicas(3)
            .serving("vm-1", "rev-2")
            .serving("vm-2", "rev-1")
            .cvm("vm-3", "running", true, "rev-2");

    PhalaAppStatus status = statusOf(seen, decide(seen));

    assertThat(status.ready).as("serving/desired, as a Deployment's READY").isEqualTo("2/3");
    assertThat(status.availableReplicas).isEqualTo(2);
    assertThat(status.readyReplicas).isEqualTo(2);
    assertThat(status.updatedReplicas).as("serving on the desired revision").isEqualTo(1);
  }

  @Test
  void aStepInDoubtThatHappened_isSettledAsGiven_andNotSentAgain() {
    Seen seen = new Seen().serving("vm-1", "rev-1");
    seen.intent("vm-1", "rev-2");
    seen.states.put(
        "vm-1",
        new CvmState("running", false, Optional.empty(), Optional.of(Duration.ofSeconds(20))));

    Decision decision = decide(seen);

    assertThat(decision.steps()).isEmpty();
    assertThat(statusOf(seen, decision).cvms.get(0).envRevision).isEqualTo("rev-2");
  }

  @Test
  void aStepInDoubtThatDidNotHappen_isSentAgain() {
    Seen seen = new Seen().serving("vm-1", "rev-1");
    seen.intent("vm-1", "rev-2");
    seen.states.put(
        "vm-1", new CvmState("running", false, Optional.empty(), Optional.of(Duration.ofHours(2))));

    Decision decision = decide(seen);

    assertThat(decision.steps()).singleElement().isInstanceOf(Step.Update.class);
  }

  @Test
  void aBootFailureOnTheNewRevision_haltsTheRollout_withTheBootErrorInStatus() {
    Seen seen =
        new Seen().replicas(2).cvm("vm-1", "error", false, "rev-2").serving("vm-2", "rev-1");
    seen.states.put(
        "vm-1", new CvmState("error", false, Optional.of("exit 1 in app"), Optional.empty()));

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    assertThat(status.rollout.failedRevision).isEqualTo("rev-2");
    assertThat(status.rollout.failure).contains("exit 1 in app");
    assertThat(status.phase).isEqualTo("Halted");
    assertThat(reasons(seen, decision)).contains("RolloutHalted");
  }

  @Test
  void aPausedRollout_changesNoCvm_andSaysPaused() {
    Seen seen = new Seen().serving("vm-1", "rev-1").rollout(r -> r.paused = true);

    Decision decision = decide(seen);

    assertThat(decision.steps()).isEmpty();
    assertThat(condition(statusOf(seen, decision), "Progressing").getReason()).isEqualTo("Paused");
  }

  @Test
  void aScaleUp_copiesAServingCvmOnTheDesiredRevision() {
    Seen seen =
        new Seen()
            .replicas(2)
            .serving("vm-1", "rev-2")
            .rollout(r -> r.maxSurge = new IntOrString(1));

    Decision decision = decide(seen);

    assertThat(decision.steps()).singleElement().isInstanceOf(Step.AddReplica.class);
    Step.AddReplica add = (Step.AddReplica) decision.steps().get(0);
    assertThat(add.source()).isEqualTo("vm-1");
    assertThat(add.composeHash()).isEqualTo("hash-vm-1");
    assertThat(add.intent().revision()).isEqualTo("rev-2");
  }

  @Test
  void conditionTimes_comeFromTheObservation_notTheWallClock() {
    Seen seen = new Seen().serving("vm-1", "rev-2");

    PhalaAppStatus status = statusOf(seen, decide(seen));

    assertThat(condition(status, "Ready").getLastTransitionTime()).isEqualTo(Seen.NOW.toString());
  }

  /** A rollout of rev-2 that failed on vm-1 and is rolling back to rev-1 (Phala revision r1). */
  private Seen rollingBack() {
    Seen seen =
        new Seen().replicas(2).cvm("vm-1", "error", false, "rev-2").serving("vm-2", "rev-1");
    seen.status.rollout = new PhalaAppStatus.RolloutStatus();
    seen.status.rollout.failedRevision = "rev-2";
    seen.status.rollout.failure = "CVM vm-1 failed to boot revision rev-2";
    seen.status.rollout.action = "RolledBack";
    seen.status.rollout.lastGoodRevision = "rev-1";
    seen.status.rollout.rollbackRecord =
        new RollbackRecords(new Revision(new byte[32]))
            .record(
                seen.app,
                Seen.APP_ID,
                "rev-1",
                "compose-1",
                new AppRevision(
                    "r1",
                    Seen.APP_ID,
                    "vm-2",
                    "hash-1",
                    "deploy",
                    Optional.empty(),
                    Optional.empty()));
    return seen;
  }

  @Test
  void aRollbackWhoseRecordVerifies_redeploysTheKeptRevisionToTheFailedCvm() {
    Seen seen = rollingBack();
    SealedEnv env =
        EnvSealer.seal(
            EnvPrivateKey.generate(new SecureRandom()).publicKey(),
            EnvSet.builder().put("TOKEN", "old").build());
    seen.rollback =
        Observation.Lookup.found(
            new AppRevision(
                "r1",
                Seen.APP_ID,
                "vm-2",
                "hash-1",
                "deploy",
                Optional.of(new ComposeSpec(Seen.COMPOSE, null, List.of("TOKEN"))),
                Optional.of(env)));

    Decision decision = decide(seen);

    assertThat(decision.steps()).singleElement().isInstanceOf(Step.Update.class);
    Step.Update update = (Step.Update) decision.steps().get(0);
    assertThat(update.vmUuid()).isEqualTo("vm-1");
    assertThat(update.change()).isEqualTo(new Step.Change.Redeploy("r1"));
    assertThat(update.intent().revision()).isEqualTo("rev-1");
  }

  @Test
  void aRollbackWhoseRevisionPhalaCloudNoLongerHas_haltsInstead() {
    Seen seen = rollingBack();
    seen.rollback = Observation.Lookup.missing("Phala Cloud has no revision r1 of app a");

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    assertThat(status.rollout.action).isEqualTo("Halted");
    assertThat(status.rollout.failure).contains("not rolled back: Phala Cloud has no revision r1");
  }

  @Test
  void aStepInDoubtOnACvmThatServedThenAndFailedToBootSince_isSettledAsGiven_notSentAgain() {
    Seen seen =
        new Seen().replicas(2).cvm("vm-1", "error", false, "rev-1").serving("vm-2", "rev-1");
    seen.status.cvms.get(0).phase = "running";
    seen.intent("vm-1", "rev-2");
    seen.states.put("vm-1", new CvmState("error", false, Optional.of("exit 1"), Optional.empty()));

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    assertThat(status.rollout.failedRevision).isEqualTo("rev-2");
  }

  @Test
  void aNewAppWithNoReplicas_deploysNothing() {
    Seen seen = new Seen().replicas(0);
    seen.claim = new Claim.Unclaimed();
    seen.status.appId = null;

    Decision decision = decide(seen);

    assertThat(decision.steps()).isEmpty();
    assertThat(decision.convergingAfterSteps()).isFalse();
  }

  @Test
  void aReplicaIsNeverCopiedFromACvmTheSamePassRestarts() {
    Seen seen = new Seen().replicas(3).serving("vm-1", "rev-1").serving("vm-2", "rev-1");
    seen.composeRevision = "compose-2";
    seen.status.cvms.forEach(c -> c.composeRevision = "compose-1");
    Observation observation = seen.observation();
    StatusDraft draft = StatusDraft.from(seen.status, seen.app.getSpec(), Seen.NOW);
    Plan plan = new Plan(List.of(new Action.Update("vm-1"), new Action.AddReplica()), true);

    List<Step> steps =
        new StepsOf(observation.desired(), draft, Seen.NOW).of(plan, observation.cloud().cvms());

    Step.AddReplica add = (Step.AddReplica) steps.get(1);
    assertThat(add.source()).isEqualTo("vm-2");
    assertThat(add.composeHash()).isEqualTo("hash-vm-2");
    assertThat(add.intent().revision()).isEqualTo(Decider.COMPOSE_PENDING);
  }

  /** vm-1 had failed to boot when the update to rev-2 was written down, and has failed now. */
  private Seen failedBeforeAndAfterAnIntent() {
    Seen seen =
        new Seen().replicas(2).cvm("vm-1", "error", false, "rev-1").serving("vm-2", "rev-2");
    seen.status.cvms.get(0).phase = "error";
    seen.intent("vm-1", "rev-2");
    seen.states.put("vm-1", new CvmState("error", false, Optional.of("exit 1"), Optional.empty()));
    return seen;
  }

  @Test
  void aCvmFailedBeforeAndAfterItsIntent_whosePhalaHistoryShowsTheChange_isNotRestartedAgain() {
    Seen seen = failedBeforeAndAfterAnIntent();
    seen.changedAt.put("vm-1", Seen.NOW.minusSeconds(59));

    Decision decision = decide(seen);

    assertThat(decision.steps()).isEmpty();
    assertThat(statusOf(seen, decision).rollout.failedRevision).isEqualTo("rev-2");
  }

  @Test
  void aCvmFailedBeforeAndAfterItsIntent_whoseHistoryShowsNoChange_isGivenTheStep() {
    Seen seen = failedBeforeAndAfterAnIntent();
    seen.changedAt.put("vm-1", Seen.NOW.minusSeconds(600));

    assertThat(decide(seen).steps()).singleElement().isInstanceOf(Step.Update.class);
  }
}
