package cloud.phala.operator.app.sync.decide;

import static cloud.phala.operator.app.sync.decide.Seen.condition;
import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.crd.AttestationPolicy;
import cloud.phala.operator.crd.AttestationPolicy.Mode;
import cloud.phala.operator.crd.PhalaAppStatus;
import org.junit.jupiter.api.Test;

/**
 * A verdict is for a boot and for the instance Phala Cloud listed when it was read: the pass
 * expects the listed instance_id in the evidence, records it, and reads again a CVM whose listed
 * instance is not the one its verdict is for.
 */
class AttestationFreshnessTest {
  private static final String INSTANCE = "1a".repeat(20);
  private static final String OTHER = "2b".repeat(20);
  private static final String BOOT = Seen.NOW.minusSeconds(300).toString();
  private final Decider decider = new Decider(new Revision(new byte[32]));

  private static Seen rolled(Mode mode) {
    Seen seen = new Seen().replicas(2).serving("vm-1", "rev-2").serving("vm-2", "rev-2");
    seen.app.getSpec().attestation = new AttestationPolicy();
    seen.app.getSpec().attestation.mode = mode;
    return seen.instance("vm-1", INSTANCE).instance("vm-2", INSTANCE);
  }

  private static Seen previously(Seen seen, String id, String verdict, String instanceId) {
    PhalaAppStatus.CvmStatus cvm =
        seen.status.cvms.stream().filter(c -> id.equals(c.cvmId)).findFirst().orElseThrow();
    cvm.phase = "running";
    cvm.runningSince = BOOT;
    cvm.attestation = new PhalaAppStatus.CvmAttestation();
    cvm.attestation.boot = BOOT;
    cvm.attestation.instanceId = instanceId;
    cvm.attestation.verdict = verdict;
    return seen;
  }

  private PhalaAppStatus statusOf(Seen seen) {
    Decision decision = decider.decide(seen.observation());
    return StatusReport.of(seen.app, decision, seen.states, decision.convergingAfterSteps());
  }

  @Test
  void aVerdictForAnotherInstance_isReadAgain_oneForTheListedInstance_isNot() {
    Seen seen = rolled(Mode.Observe);
    previously(seen, "vm-1", "Verified", OTHER);
    previously(seen, "vm-2", "Verified", INSTANCE);

    assertThat(decider.attestationsWanted(seen.observation())).containsExactly("vm-1");
  }

  @Test
  void aVerdictReadBeforeAnInstanceIdWasListed_isReadAgain_onceOneIs() {
    Seen seen = rolled(Mode.Observe);
    previously(seen, "vm-1", "Verified", null);
    previously(seen, "vm-2", "Verified", INSTANCE);

    assertThat(decider.attestationsWanted(seen.observation())).containsExactly("vm-1");
  }

  @Test
  void aCvmListedWithoutAnInstanceId_keepsTheVerdictOfItsBoot() {
    Seen seen = rolled(Mode.Observe).instance("vm-1", null);
    previously(seen, "vm-1", "Verified", INSTANCE);
    previously(seen, "vm-2", "Verified", INSTANCE);

    assertThat(decider.attestationsWanted(seen.observation())).isEmpty();
  }

  @Test
  void aNewVerdict_recordsTheInstanceItWasReadFor() {
    Seen seen = rolled(Mode.Observe).instance("vm-2", null);
    seen.attestations.put("vm-1", AttestationVerdict.verified("every check passed"));
    seen.attestations.put("vm-2", AttestationVerdict.verified("every check passed"));

    PhalaAppStatus status = statusOf(seen);

    assertThat(status.cvms.get(0).attestation.instanceId).isEqualTo(INSTANCE);
    assertThat(status.cvms.get(1).attestation.instanceId).isNull();
    assertThat(status.cvms.get(1).attestation.verdict).isEqualTo("Verified");
  }

  @Test
  void required_aVerifiedVerdictForAnotherInstance_neitherShowsNorCountsAsVerified() {
    Seen seen = rolled(Mode.Required);
    previously(seen, "vm-1", "Verified", OTHER);
    previously(seen, "vm-2", "Verified", INSTANCE);

    PhalaAppStatus status = statusOf(seen);

    assertThat(status.cvms.get(0).attestation).isNull();
    assertThat(status.cvms.get(1).attestation.verdict).isEqualTo("Verified");
    assertThat(condition(status, "Attested").getStatus()).isEqualTo("False");
    assertThat(status.availableReplicas).isEqualTo(1);
  }
}
