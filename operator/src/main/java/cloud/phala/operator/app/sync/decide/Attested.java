package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.crd.AttestationPolicy;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The attestation verdict of each CVM's current boot ({@code status.cvms[].attestation}): carried
 * over from the previous status while the boot and the instance are the same, replaced by a new
 * read. A boot is named by the CVM's runningSince, which starts over whenever the operator sees the
 * CVM stop serving or gives it a revision, so a verdict never outlives the boot it was read in; the
 * instance by the instance_id Phala Cloud lists, so a verdict read for another instance (or before
 * one was listed) is stale once the listing names this one.
 */
final class Attested {
  private final AttestationPolicy.Mode mode;
  private final Map<String, PhalaAppStatus.CvmAttestation> byCvm = new LinkedHashMap<>();

  Attested(PhalaAppStatus previous, PhalaAppSpec spec) {
    this.mode = modeOf(spec);
    if (previous.cvms != null) {
      previous.cvms.stream()
          .filter(c -> c.cvmId != null && c.attestation != null)
          .forEach(c -> byCvm.put(c.cvmId, c.attestation));
    }
  }

  static AttestationPolicy.Mode modeOf(PhalaAppSpec spec) {
    return spec == null || spec.attestation == null || spec.attestation.mode == null
        ? AttestationPolicy.Mode.Off
        : spec.attestation.mode;
  }

  AttestationPolicy.Mode mode() {
    return mode;
  }

  /** A verdict read this pass for the boot serving since {@code boot} of the listed instance. */
  void record(
      String vmUuid, Instant boot, String instanceId, AttestationVerdict verdict, Instant at) {
    PhalaAppStatus.CvmAttestation a = new PhalaAppStatus.CvmAttestation();
    a.boot = boot.toString();
    a.instanceId = instanceId;
    a.verdict = verdict.kind().wire();
    a.failedStep = verdict.failedStep();
    a.message = verdict.message();
    a.at = at.toString();
    byCvm.put(vmUuid, a);
  }

  /**
   * The verdict of the boot serving since {@code boot} (null: not serving) of the instance listed
   * now ({@code instanceId}, null: none listed), if one was read.
   */
  Optional<AttestationVerdict> of(String vmUuid, Instant boot, String instanceId) {
    return status(vmUuid, boot, instanceId)
        .flatMap(
            a ->
                Optional.ofNullable(AttestationVerdict.Kind.of(a.verdict))
                    .map(kind -> new AttestationVerdict(kind, a.failedStep, a.message)));
  }

  /** For status: the verdict of the current boot and listed instance only. */
  Optional<PhalaAppStatus.CvmAttestation> status(String vmUuid, Instant boot, String instanceId) {
    PhalaAppStatus.CvmAttestation a = byCvm.get(vmUuid);
    return a == null
            || boot == null
            || !boot.toString().equals(a.boot)
            || (instanceId != null && !instanceId.equals(a.instanceId))
        ? Optional.empty()
        : Optional.of(a);
  }
}
