package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Copies of the parts of a status a pass carries over, so the previous status stays as read. */
final class StatusCopies {
  private StatusCopies() {}

  static PhalaAppStatus.ObservedInputs copy(PhalaAppStatus.ObservedInputs from) {
    if (from == null) {
      return null;
    }
    PhalaAppStatus.ObservedInputs out = new PhalaAppStatus.ObservedInputs();
    out.generation = from.generation;
    out.secrets = from.secrets == null ? null : new TreeMap<>(from.secrets);
    out.configMaps = from.configMaps == null ? null : new TreeMap<>(from.configMaps);
    return out;
  }

  static PhalaAppStatus.RolloutStatus copy(PhalaAppStatus.RolloutStatus from) {
    PhalaAppStatus.RolloutStatus out = new PhalaAppStatus.RolloutStatus();
    if (from != null) {
      out.lastGoodRevision = from.lastGoodRevision;
      out.failedRevision = from.failedRevision;
      out.failure = from.failure;
      out.failedAt = from.failedAt;
      out.action = from.action;
      out.rollbackRecord = from.rollbackRecord;
      out.desiredSince = from.desiredSince;
      out.waitingSince = from.waitingSince;
      out.awaitingApproval = from.awaitingApproval;
    }
    return out;
  }

  /** Which revision each CVM was given, as {@code status} records it. */
  static Map<String, CvmRecord> records(PhalaAppStatus status) {
    Map<String, CvmRecord> out = new LinkedHashMap<>();
    if (status.cvms != null) {
      status.cvms.forEach(c -> out.put(c.cvmId, CvmRecord.from(c)));
    }
    return out;
  }

  /** {@code status.rollout}: null when there is nothing in it. */
  static PhalaAppStatus.RolloutStatus rolloutStatus(
      PhalaAppStatus.RolloutStatus rollout, List<CvmRecord.Intent> pendingReplicas) {
    PhalaAppStatus.RolloutStatus out = copy(rollout);
    out.pendingReplicas =
        pendingReplicas.isEmpty()
            ? null
            : pendingReplicas.stream().map(CvmRecord.Intent::toStatus).toList();
    boolean empty =
        out.lastGoodRevision == null
            && out.failedRevision == null
            && out.pendingReplicas == null
            && out.waitingSince == null
            && out.awaitingApproval == null;
    return empty ? null : out;
  }
}
