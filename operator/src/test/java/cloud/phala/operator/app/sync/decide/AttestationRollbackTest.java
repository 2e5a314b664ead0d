package cloud.phala.operator.app.sync.decide;

import static cloud.phala.operator.app.sync.decide.Seen.condition;
import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.cloud.AppRevision;
import cloud.phala.operator.cloud.ComposeSpec;
import cloud.phala.operator.crd.AttestationPolicy;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Rollout;
import cloud.phala.operator.crypto.EnvPrivateKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Under Required with onFailure Rollback, the revision rolled back to is gated like the desired
 * one: its CVMs are read, and one that fails attestation fails the rollback, which halts.
 */
class AttestationRollbackTest {
  private final Decider decider = new Decider(new Revision(new byte[32]));

  /**
   * rev-2 failed attestation on vm-1 and vm-2 (both given it, maxUnavailable 2); vm-1 is back on
   * the last good rev-1, vm-2 still on rev-2, vm-3 never left rev-1.
   */
  static Seen rollingBack() {
    Seen seen =
        new Seen()
            .replicas(3)
            .serving("vm-1", "rev-1")
            .serving("vm-2", "rev-2")
            .serving("vm-3", "rev-1")
            .rollout(
                r -> {
                  r.onFailure = Rollout.OnFailure.Rollback;
                  r.maxUnavailable = new IntOrString(2);
                  r.maxSurge = new IntOrString(0);
                });
    seen.app.getSpec().attestation = new AttestationPolicy();
    seen.app.getSpec().attestation.mode = AttestationPolicy.Mode.Required;
    seen.status.envRevision = "rev-2";
    seen.status.rollout = new PhalaAppStatus.RolloutStatus();
    seen.status.rollout.failedRevision = "rev-2";
    seen.status.rollout.failure = "CVM vm-2 failed attestation of revision rev-2";
    seen.status.rollout.action = "RolledBack";
    seen.status.rollout.lastGoodRevision = "rev-1";
    AppRevision r1 =
        new AppRevision(
            "r1",
            Seen.APP_ID,
            "vm-3",
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
    return seen;
  }

  private static PhalaAppStatus statusOf(Seen seen, Decision decision) {
    return StatusReport.of(seen.app, decision, seen.states, decision.convergingAfterSteps());
  }

  @Test
  void required_theRollbackTargetsCvms_areRead() {
    assertThat(decider.attestationsWanted(rollingBack().observation())).contains("vm-1", "vm-3");
  }

  @Test
  void required_aRollbackTargetThatFailsAttestation_failsTheRollback_whichHalts() {
    Seen seen = rollingBack();
    seen.attestations.put("vm-1", AttestationVerdict.failed("TCB_ACCEPTED", "OutOfDate"));
    seen.attestations.put("vm-3", AttestationVerdict.verified("ok"));

    Decision decision = decider.decide(seen.observation());
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).as("vm-2 is not moved onto a revision that failed too").isEmpty();
    assertThat(status.rollout.action).isEqualTo("Halted");
    assertThat(status.rollout.failure)
        .contains("the rollback failed too", "vm-1", "revision rev-1", "TCB_ACCEPTED");
    assertThat(condition(status, "Degraded").getReason()).isEqualTo("RolloutHalted");
  }

  @Test
  void required_theLastCvmMovedBack_failingAttestation_stillFailsTheRollback() {
    Seen seen = rollingBack();
    seen.cvms.removeIf(c -> c.vmUuid().equals("vm-2"));
    seen.status.cvms.removeIf(c -> c.cvmId.equals("vm-2"));
    seen.replicas(2);
    seen.attestations.put("vm-1", AttestationVerdict.failed("QUOTE_VERIFIED", "refused"));
    seen.attestations.put("vm-3", AttestationVerdict.verified("ok"));

    Decision decision = decider.decide(seen.observation());
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    assertThat(status.rollout.action).isEqualTo("Halted");
    assertThat(status.rollout.failure)
        .contains("the rollback failed too", "vm-1", "QUOTE_VERIFIED");
  }

  @Test
  void required_aVerifiedRollbackTarget_letsTheRollbackGoOn() {
    Seen seen = rollingBack();
    seen.attestations.put("vm-1", AttestationVerdict.verified("ok"));
    seen.attestations.put("vm-3", AttestationVerdict.verified("ok"));

    Decision decision = decider.decide(seen.observation());

    assertThat(decision.steps())
        .singleElement()
        .isInstanceOfSatisfying(
            Step.Update.class,
            u -> {
              assertThat(u.vmUuid()).isEqualTo("vm-2");
              assertThat(u.intent().revision()).isEqualTo("rev-1");
            });
  }

  @Test
  void withMaxUnavailable1_aCvmServingTheFailedRevision_thatFailedAttestation_isMovedBack() {
    Seen seen = rollingBack();
    seen.app.getSpec().rollout.maxUnavailable = new IntOrString(1);
    seen.attestations.put("vm-1", AttestationVerdict.verified("ok"));
    seen.attestations.put("vm-2", AttestationVerdict.failed("TCB_ACCEPTED", "OutOfDate"));
    seen.attestations.put("vm-3", AttestationVerdict.verified("ok"));

    Decision decision = decider.decide(seen.observation());

    assertThat(decision.steps())
        .as("vm-2 never counts as available, so moving it back leaves vm-1 and vm-3 serving")
        .singleElement()
        .isInstanceOfSatisfying(
            Step.Update.class,
            u -> {
              assertThat(u.vmUuid()).isEqualTo("vm-2");
              assertThat(u.intent().revision()).isEqualTo("rev-1");
            });
  }

  @Test
  void withMaxUnavailable1_aCvmServingTheFailedRevision_stillBeingVerified_waits() {
    Seen seen = rollingBack();
    seen.app.getSpec().rollout.maxUnavailable = new IntOrString(1);
    seen.app.getSpec().rollout.readyTimeout = "1h";
    seen.attestations.put("vm-2", AttestationVerdict.unavailable("not yet"));
    seen.attestations.put("vm-1", AttestationVerdict.verified("ok"));
    seen.attestations.put("vm-3", AttestationVerdict.verified("ok"));

    Decision decision = decider.decide(seen.observation());

    assertThat(decision.steps())
        .as("vm-2 may yet be verified and count: taking it down would cost availability")
        .isEmpty();
  }

  @Test
  void withMaxUnavailable1_aCvmServingTheFailedRevision_unverifiedPastReadyTimeout_isMovedBack() {
    Seen seen = rollingBack();
    seen.app.getSpec().rollout.maxUnavailable = new IntOrString(1);
    seen.app.getSpec().rollout.readyTimeout = "5m";
    seen.attestations.put("vm-1", AttestationVerdict.verified("ok"));
    seen.attestations.put("vm-2", AttestationVerdict.unavailable("no quote"));
    seen.attestations.put("vm-3", AttestationVerdict.verified("ok"));

    Decision decision = decider.decide(seen.observation());

    assertThat(decision.steps())
        .singleElement()
        .isInstanceOfSatisfying(Step.Update.class, u -> assertThat(u.vmUuid()).isEqualTo("vm-2"));
  }
}
