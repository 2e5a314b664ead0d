package cloud.phala.operator.app.sync.decide;

import static cloud.phala.operator.app.sync.decide.Seen.condition;
import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.crd.AttestationPolicy;
import cloud.phala.operator.crd.AttestationPolicy.Mode;
import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.api.model.IntOrString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * spec.attestation, decided: which CVMs' attestations a pass reads (once per boot), what Observe
 * reports, and how Required holds a rollout back and fails it.
 */
class AttestationDecisionTest {
  private final Decider decider = new Decider(new Revision(new byte[32]));

  private static Seen mode(Seen seen, Mode mode) {
    seen.app.getSpec().attestation = new AttestationPolicy();
    seen.app.getSpec().attestation.mode = mode;
    return seen;
  }

  /** Two replicas, one at a time (no surge): vm-1 already runs rev-2, vm-2 still rev-1. */
  private static Seen halfRolled(Mode mode) {
    Seen seen = new Seen().replicas(2).serving("vm-1", "rev-2").serving("vm-2", "rev-1");
    seen.rollout(
        r -> {
          r.maxUnavailable = new IntOrString(1);
          r.maxSurge = new IntOrString(0);
        });
    return mode(seen, mode);
  }

  /** Every replica runs rev-2. */
  private static Seen rolled(Mode mode) {
    return mode(new Seen().replicas(2).serving("vm-1", "rev-2").serving("vm-2", "rev-2"), mode);
  }

  /** The previous status recorded {@code verdict} for the boot of {@code id} running since then. */
  private static Seen previously(Seen seen, String id, String verdict, String boot) {
    PhalaAppStatus.CvmStatus cvm =
        seen.status.cvms.stream().filter(c -> id.equals(c.cvmId)).findFirst().orElseThrow();
    cvm.phase = "running";
    cvm.runningSince = Seen.NOW.minusSeconds(300).toString();
    cvm.attestation = new PhalaAppStatus.CvmAttestation();
    cvm.attestation.boot = boot;
    cvm.attestation.verdict = verdict;
    return seen;
  }

  private Decision decide(Seen seen) {
    return decider.decide(seen.observation());
  }

  private static PhalaAppStatus statusOf(Seen seen, Decision decision) {
    return StatusReport.of(seen.app, decision, seen.states, decision.convergingAfterSteps());
  }

  @Test
  void off_readsNoAttestation_andWritesNoAttestedCondition() {
    Seen seen = new Seen().replicas(2).serving("vm-1", "rev-2").serving("vm-2", "rev-1");

    assertThat(decider.attestationsWanted(seen.observation())).isEmpty();
    assertThat(statusOf(seen, decide(seen)).conditions)
        .noneMatch(c -> "Attested".equals(c.getType()));
  }

  @Test
  void observe_readsTheServingCvmsOnTheDesiredRevision_only() {
    Seen seen = halfRolled(Mode.Observe).cvm("vm-3", "starting", false, "rev-2");

    assertThat(decider.attestationsWanted(seen.observation())).containsExactly("vm-1");
  }

  @Test
  void aVerdictForTheCurrentBoot_isNotReadAgain() {
    Seen seen = rolled(Mode.Observe);
    String boot = Seen.NOW.minusSeconds(300).toString();
    previously(seen, "vm-1", "Verified", boot);
    previously(seen, "vm-2", "Failed", boot);

    assertThat(decider.attestationsWanted(seen.observation())).isEmpty();
  }

  @Test
  void aVerdictOfAnEarlierBoot_isReadAgain() {
    Seen seen = rolled(Mode.Observe);
    String boot = Seen.NOW.minusSeconds(300).toString();
    previously(seen, "vm-1", "Verified", boot);
    previously(seen, "vm-2", "Verified", Seen.NOW.minusSeconds(900).toString());

    assertThat(decider.attestationsWanted(seen.observation())).containsExactly("vm-2");
  }

  @Test
  void anUnavailableOrErrorVerdict_isReadAgain_whileTheRolloutIsNotHalted() {
    Seen seen = rolled(Mode.Required);
    String boot = Seen.NOW.minusSeconds(300).toString();
    previously(seen, "vm-1", "Unavailable", boot);
    previously(seen, "vm-2", "Error", boot);

    assertThat(decider.attestationsWanted(seen.observation())).containsExactly("vm-1", "vm-2");
  }

  @Test
  void aNewVerdict_isRecordedInStatus_forTheBootItWasReadIn() {
    Seen seen = rolled(Mode.Observe);
    seen.attestations.put("vm-1", AttestationVerdict.verified("every check passed"));
    seen.attestations.put(
        "vm-2", AttestationVerdict.failed("RTMR3_REPLAYS", "the event log does not replay"));

    PhalaAppStatus status = statusOf(seen, decide(seen));

    PhalaAppStatus.CvmAttestation first = status.cvms.get(0).attestation;
    assertThat(first.verdict).isEqualTo("Verified");
    assertThat(first.boot).isEqualTo(status.cvms.get(0).runningSince);
    assertThat(first.at).isEqualTo(Seen.NOW.toString());
    assertThat(status.cvms.get(1).attestation.verdict).isEqualTo("Failed");
    assertThat(status.cvms.get(1).attestation.failedStep).isEqualTo("RTMR3_REPLAYS");
  }

  @Test
  void observe_everyServingCvmVerified_isAttested() {
    Seen seen = rolled(Mode.Observe);
    seen.attestations.put("vm-1", AttestationVerdict.verified("every check passed"));
    seen.attestations.put("vm-2", AttestationVerdict.verified("every check passed"));

    PhalaAppStatus status = statusOf(seen, decide(seen));

    assertThat(condition(status, "Attested").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Attested").getReason()).isEqualTo("AttestationVerified");
  }

  @Test
  void withVerifierDstack_theAttestedMessageSaysWhoVerifiedTheQuote() {
    Seen seen = rolled(Mode.Observe);
    seen.app.getSpec().attestation.verifier = AttestationPolicy.Verifier.DSTACK;
    seen.attestations.put("vm-1", AttestationVerdict.verified("every check passed"));
    seen.attestations.put("vm-2", AttestationVerdict.verified("every check passed"));

    PhalaAppStatus status = statusOf(seen, decide(seen));

    assertThat(condition(status, "Attested").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Attested").getMessage())
        .endsWith("passed every check (quote and TCB status by the operator's dstack verifier)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "COMPOSE_HASH_MATCHES",
        "APP_ID_MATCHES",
        "APP_COMPOSE_MATCHES",
        "RTMR3_REPLAYS",
        "QUOTE_VERIFIED",
        "MEASUREMENTS_PINNED",
        "TCB_ACCEPTED"
      })
  void observe_reportsEachFailedStep_withAWarning_andDoesNotGate(String step) {
    Seen seen = halfRolled(Mode.Observe);
    seen.attestations.put("vm-1", AttestationVerdict.failed(step, "it does not match"));

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(condition(status, "Attested").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Attested").getReason()).isEqualTo("AttestationFailed");
    assertThat(condition(status, "Attested").getMessage()).contains("cvm-vm-1", step);
    assertThat(decision.notes().toRecord(null))
        .anyMatch(n -> n.reason() == Reason.ATTESTATION_FAILED && n.message().contains(step));
    assertThat(decision.steps())
        .as("Observe gates nothing: the rollout goes on")
        .singleElement()
        .isInstanceOfSatisfying(Step.Update.class, u -> assertThat(u.vmUuid()).isEqualTo("vm-2"));
    assertThat(status.rollout == null ? null : status.rollout.failedRevision).isNull();
  }

  @Test
  void required_anUnverifiedCvm_isNotAvailable_soNoOtherReplicaIsTakenDown() {
    Seen seen = halfRolled(Mode.Required);

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    assertThat(decision.convergingAfterSteps()).isTrue();
    assertThat(condition(status, "Attested").getReason()).isEqualTo("AttestationPending");
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Ready").getMessage()).contains("1 more", "not attested yet");
    assertThat(status.availableReplicas).as("AVAILABLE counts vm-2 only").isEqualTo(1);
    assertThat(status.readyReplicas).isEqualTo(2);
  }

  @Test
  void required_onceVerified_theNextReplicaIsUpdated() {
    Seen seen = halfRolled(Mode.Required);
    seen.attestations.put("vm-1", AttestationVerdict.verified("every check passed"));

    Decision decision = decide(seen);

    assertThat(decision.steps())
        .singleElement()
        .isInstanceOfSatisfying(Step.Update.class, u -> assertThat(u.vmUuid()).isEqualTo("vm-2"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "COMPOSE_HASH_MATCHES",
        "APP_ID_MATCHES",
        "APP_COMPOSE_MATCHES",
        "RTMR3_REPLAYS",
        "QUOTE_VERIFIED",
        "MEASUREMENTS_PINNED",
        "TCB_ACCEPTED"
      })
  void required_eachFailedStep_haltsTheRollout_likeABootFailure(String step) {
    Seen seen = halfRolled(Mode.Required);
    seen.attestations.put("vm-1", AttestationVerdict.failed(step, "it does not match"));

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    assertThat(status.rollout.failedRevision).isEqualTo("rev-2");
    assertThat(status.rollout.action).isEqualTo("Halted");
    assertThat(status.rollout.failure).contains("vm-1", "failed attestation", step);
    assertThat(condition(status, "Degraded").getReason()).isEqualTo("RolloutHalted");
    assertThat(condition(status, "Attested").getReason()).isEqualTo("AttestationFailed");
    assertThat(decision.notes().toRecord(null))
        .anyMatch(n -> n.reason() == Reason.ROLLOUT_HALTED && n.message().contains(step));
  }

  @ParameterizedTest
  @ValueSource(strings = {"NOT_JSON", "TOO_LARGE", "MISSING_EVENT", "DUPLICATE_EVENT"})
  void required_aMalformedAnswer_haltsTheRollout_namingTheProblem(String problem) {
    Seen seen = halfRolled(Mode.Required);
    seen.attestations.put("vm-1", AttestationVerdict.malformed(problem, "refused"));

    PhalaAppStatus status = statusOf(seen, decide(seen));

    assertThat(status.rollout.action).isEqualTo("Halted");
    assertThat(status.rollout.failure).contains("Malformed " + problem);
    assertThat(condition(status, "Attested").getReason()).isEqualTo("AttestationMalformed");
  }

  @Test
  void required_anUnavailableAttestation_waitsUntilReadyTimeout() {
    Seen seen = halfRolled(Mode.Required).rollout(r -> r.readyTimeout = "1h");
    seen.attestations.put("vm-1", AttestationVerdict.unavailable("no attestation"));

    Decision decision = decide(seen);
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    assertThat(status.rollout == null ? null : status.rollout.failedRevision).isNull();
    assertThat(condition(status, "Attested").getReason()).isEqualTo("AttestationUnavailable");
  }

  @Test
  void required_anUnavailableAttestation_pastReadyTimeout_haltsTheRollout() {
    // vm-1 was given rev-2 ten minutes ago (Seen)
    Seen seen = halfRolled(Mode.Required).rollout(r -> r.readyTimeout = "5m");
    seen.attestations.put("vm-1", AttestationVerdict.unavailable("no attestation"));

    PhalaAppStatus status = statusOf(seen, decide(seen));

    assertThat(status.rollout.action).isEqualTo("Halted");
    assertThat(status.rollout.failure)
        .contains("vm-1", "not attested within readyTimeout", "Unavailable");
  }

  @Test
  void required_aVerifierError_pastReadyTimeout_haltsTheRollout() {
    Seen seen = halfRolled(Mode.Required).rollout(r -> r.readyTimeout = "5m");
    seen.attestations.put("vm-1", AttestationVerdict.error("POST /attestations/verify: 503"));

    PhalaAppStatus status = statusOf(seen, decide(seen));

    assertThat(status.rollout.action).isEqualTo("Halted");
    assertThat(condition(status, "Attested").getReason()).isEqualTo("AttestationError");
  }

  @Test
  void
      aVerifierTheOperatorLacks_isReportedAsVerifierNotConfigured_andRequiredHaltsAtReadyTimeout() {
    AttestationVerdict notConfigured =
        AttestationVerdict.verifierNotConfigured(
            "spec.attestation.verifier is dstack, but the operator has no DSTACK_VERIFIER_URL");
    Seen observed = halfRolled(Mode.Observe);
    observed.attestations.put("vm-1", notConfigured);
    Seen waiting = halfRolled(Mode.Required).rollout(r -> r.readyTimeout = "1h");
    waiting.attestations.put("vm-1", notConfigured);
    Seen late = halfRolled(Mode.Required).rollout(r -> r.readyTimeout = "5m");
    late.attestations.put("vm-1", notConfigured);

    Decision observe = decide(observed);
    PhalaAppStatus reported = statusOf(observed, observe);
    PhalaAppStatus notYet = statusOf(waiting, decide(waiting));
    PhalaAppStatus halted = statusOf(late, decide(late));

    assertThat(condition(reported, "Attested").getReason()).isEqualTo("VerifierNotConfigured");
    assertThat(condition(reported, "Attested").getMessage()).contains("DSTACK_VERIFIER_URL");
    assertThat(observe.notes().toRecord(null))
        .anyMatch(n -> n.reason() == Reason.VERIFIER_NOT_CONFIGURED);
    assertThat(notYet.rollout == null ? null : notYet.rollout.action)
        .as("an Error like any other: the CVM waits, the next pass reads it again")
        .isNotEqualTo("Halted");
    assertThat(halted.rollout.action).isEqualTo("Halted");
    assertThat(halted.rollout.failure).contains("VERIFIER_NOT_CONFIGURED");
    assertThat(condition(halted, "Attested").getReason()).isEqualTo("VerifierNotConfigured");
  }

  @Test
  void required_haltedOnAnUnavailableAttestation_doesNotReadItAgain() {
    Seen seen = rolled(Mode.Required);
    String boot = Seen.NOW.minusSeconds(300).toString();
    previously(seen, "vm-1", "Unavailable", boot);
    previously(seen, "vm-2", "Verified", boot);
    seen.status.envRevision = "rev-2";
    seen.status.rollout = new PhalaAppStatus.RolloutStatus();
    seen.status.rollout.failedRevision = "rev-2";
    seen.status.rollout.action = "Halted";
    seen.status.rollout.failure = "CVM vm-1 was not attested";

    assertThat(decider.attestationsWanted(seen.observation())).isEmpty();
  }

  @Test
  void required_aRevisionIsRecordedAsLastGood_onlyOnceEveryReplicaVerified() {
    Seen unverified = rolled(Mode.Required);
    unverified.attestations.put("vm-1", AttestationVerdict.verified("ok"));
    Seen verified = rolled(Mode.Required);
    verified.attestations.put("vm-1", AttestationVerdict.verified("ok"));
    verified.attestations.put("vm-2", AttestationVerdict.verified("ok"));

    PhalaAppStatus waiting = statusOf(unverified, decide(unverified));
    PhalaAppStatus done = statusOf(verified, decide(verified));

    assertThat(waiting.rollout == null ? null : waiting.rollout.lastGoodRevision).isNull();
    assertThat(condition(waiting, "Ready").getStatus()).isEqualTo("False");
    assertThat(done.rollout.lastGoodRevision).isEqualTo("rev-2");
    assertThat(condition(done, "Ready").getStatus()).isEqualTo("True");
  }

  @Test
  void switchedOff_theAttestedConditionSaysSo() {
    Seen seen = new Seen().replicas(1).serving("vm-1", "rev-2");
    seen.previousCondition("Attested", "True", "AttestationVerified", "1 CVM(s) verified");

    PhalaAppStatus status = statusOf(seen, decide(seen));

    assertThat(condition(status, "Attested").getReason()).isEqualTo("AttestationOff");
  }
}
