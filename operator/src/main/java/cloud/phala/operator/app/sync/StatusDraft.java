package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.status.ConditionSet;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The status a pass is building: what carries over from the previous status (app id, recorded KMS
 * root key, which revision each CVM was given) and what this pass observed and decided. Turned into
 * a fresh {@link PhalaAppStatus} by one method, for checkpoints and for the final write.
 */
final class StatusDraft {
  private final PhalaAppStatus previous;
  private final PhalaAppSpec spec;
  private final ConditionSet conditions = new ConditionSet();
  private final Map<String, CvmRecord> records;
  private String appId;
  private String kmsId;
  private String kmsRootKey;
  private String phase;
  private Desired desired;
  private List<Cvm> observed;

  private StatusDraft(PhalaAppStatus previous, PhalaAppSpec spec) {
    this.previous = previous;
    this.spec = spec;
    this.records = AppSync.records(previous);
    this.appId = previous.appId;
    this.kmsId = previous.kmsId;
    this.kmsRootKey = previous.kmsRootKey;
  }

  static StatusDraft from(PhalaAppStatus previous, PhalaAppSpec spec) {
    return new StatusDraft(previous, spec);
  }

  ConditionSet conditions() {
    return conditions;
  }

  String appId() {
    return appId;
  }

  String kmsId() {
    return kmsId;
  }

  String kmsRootKey() {
    return kmsRootKey;
  }

  void kmsRootKey(String rootKey) {
    this.kmsRootKey = rootKey;
  }

  void adopt(String appId, String kmsId) {
    this.appId = appId;
    this.kmsId = this.kmsId != null ? this.kmsId : kmsId;
  }

  void created(String appId, String kmsId) {
    this.appId = appId;
    this.kmsId = kmsId;
    this.records.clear();
  }

  void forgetApp() {
    this.appId = null;
    this.records.clear();
  }

  void desired(Desired desired) {
    this.desired = desired;
  }

  void phase(String phase) {
    this.phase = phase;
  }

  void observed(List<Cvm> cvms) {
    this.observed = List.copyOf(cvms);
    records.keySet().retainAll(cvms.stream().map(Cvm::vmUuid).toList());
  }

  Map<String, CvmRecord> records() {
    return records;
  }

  String revisionOf(String vmUuid) {
    CvmRecord record = records.get(vmUuid);
    return record == null ? null : record.revision();
  }

  SyncResult build(PhalaApp app, boolean converging) {
    return new SyncResult(toStatus(app), converging);
  }

  PhalaAppStatus toStatus(PhalaApp app) {
    PhalaAppStatus status = new PhalaAppStatus();
    long generation =
        app.getMetadata().getGeneration() == null ? 0 : app.getMetadata().getGeneration();
    status.observedGeneration = generation;
    status.appId = appId;
    status.kmsId = kmsId;
    status.kmsRootKey = kmsRootKey;
    status.envRevision = desired != null ? desired.revision() : previous.envRevision;
    status.composeRevision = desired != null ? desired.composeRevision() : previous.composeRevision;
    status.envKeys = desired != null ? desired.env().keys() : previous.envKeys;
    status.cvms = observed != null ? cvmStatuses() : previous.cvms;
    List<PhalaAppStatus.CvmStatus> cvms = status.cvms == null ? List.of() : status.cvms;
    int replicas = spec.replicas == null ? 1 : spec.replicas;
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
    status.ready = status.updatedReplicas + "/" + replicas;
    status.conditions = conditions.merge(previous.conditions, generation, Instant.now());
    status.phase = phase != null ? phase : derivedPhase();
    return status;
  }

  private List<PhalaAppStatus.CvmStatus> cvmStatuses() {
    List<PhalaAppStatus.CvmStatus> out = new ArrayList<>();
    for (Cvm cvm : observed) {
      PhalaAppStatus.CvmStatus s = new PhalaAppStatus.CvmStatus();
      s.cvmId = cvm.vmUuid();
      s.name = cvm.name();
      s.phase = cvm.inProgress() && "running".equals(cvm.status()) ? "updating" : cvm.status();
      CvmRecord record = records.get(cvm.vmUuid());
      s.envRevision = record == null ? null : record.revision();
      s.composeRevision = record == null ? null : record.composeRevision();
      s.endpoint = cvm.endpoint().orElse(null);
      out.add(s);
    }
    return out;
  }

  private String derivedPhase() {
    if (appId == null) {
      return "Pending";
    }
    if (conditions.isTrue(ConditionSet.DEGRADED)) {
      return "Degraded";
    }
    if (conditions.isTrue(ConditionSet.READY)) {
      return "Ready";
    }
    return "Rolling";
  }
}
