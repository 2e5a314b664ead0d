package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.crd.AttestationPolicy;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code status.cvms} from the CVMs seen and the operator's records, and the counts over them. */
final class CvmStatuses {
  private CvmStatuses() {}

  /** As {@link #of}, the CVMs {@code restarting} shown as their steps will leave them. */
  static List<PhalaAppStatus.CvmStatus> of(
      List<Cvm> observed,
      Map<String, CvmRecord> records,
      Map<String, Instant> runningSince,
      java.util.Set<String> restarting,
      Attested attested) {
    Map<String, Instant> since = new java.util.LinkedHashMap<>(runningSince);
    since.keySet().removeAll(restarting);
    List<Cvm> cvms =
        observed.stream().map(c -> restarting.contains(c.vmUuid()) ? restarting(c) : c).toList();
    return of(cvms, records, since, attested);
  }

  static List<PhalaAppStatus.CvmStatus> of(
      List<Cvm> observed,
      Map<String, CvmRecord> records,
      Map<String, Instant> runningSince,
      Attested attested) {
    List<PhalaAppStatus.CvmStatus> out = new ArrayList<>();
    for (Cvm cvm : observed) {
      PhalaAppStatus.CvmStatus s = new PhalaAppStatus.CvmStatus();
      s.cvmId = cvm.vmUuid();
      s.name = cvm.name();
      s.phase = cvm.inProgress() && "running".equals(cvm.status()) ? "updating" : cvm.status();
      CvmRecord record = records.get(cvm.vmUuid());
      s.envRevision = record == null ? null : record.revision();
      s.composeRevision = record == null ? null : record.composeRevision();
      s.envOf = record == null ? null : record.envOf();
      s.endpoint = cvm.endpoint().orElse(null);
      s.updatedAt = record == null || record.givenAt() == null ? null : record.givenAt().toString();
      Instant since = runningSince.get(cvm.vmUuid());
      s.runningSince = since == null ? null : since.toString();
      s.intent = record == null || record.intent() == null ? null : record.intent().toStatus();
      s.attestation = attested.status(cvm.vmUuid(), since, cvm.instanceId()).orElse(null);
      out.add(s);
    }
    return out;
  }

  /**
   * replicas, readyReplicas (serving: running, no operation in progress, any revision),
   * availableReplicas (serving for at least minReadySeconds at {@code now}, as a Deployment's),
   * updatedReplicas (serving on the desired revision) and READY ({@code serving/desired}, as a
   * Deployment's).
   */
  static void count(
      PhalaAppStatus status, EffectiveSpec spec, Instant now, AttestationPolicy.Mode attestation) {
    boolean attestationRequired = attestation == AttestationPolicy.Mode.Required;
    int desired = spec.replicas();
    List<PhalaAppStatus.CvmStatus> cvms = status.cvms == null ? List.of() : status.cvms;
    status.replicas = cvms.size();
    status.readyReplicas = (int) cvms.stream().filter(c -> "running".equals(c.phase)).count();
    status.updatedReplicas =
        (int)
            cvms.stream()
                .filter(
                    c ->
                        "running".equals(c.phase)
                            && c.envRevision != null
                            && c.envRevision.equals(status.envRevision))
                .count();
    status.availableReplicas =
        (int)
            cvms.stream()
                .filter(
                    c ->
                        "running".equals(c.phase)
                            && RunningSince.available(
                                RunningSince.parsed(c.runningSince), spec.minReady(), now)
                            && !(attestationRequired && unverified(c, status.envRevision)))
                .count();
    status.ready = status.readyReplicas + "/" + desired;
  }

  /** On the desired revision without a Verified attestation for its current boot. */
  private static boolean unverified(PhalaAppStatus.CvmStatus c, String revision) {
    return c.envRevision != null
        && c.envRevision.equals(revision)
        && (c.attestation == null || !"Verified".equals(c.attestation.verdict));
  }

  /** The CVM as it is once a step restarted it: its operation in progress. */
  static Cvm restarting(Cvm cvm) {
    return cvm.withInProgress(true);
  }
}
