package cloud.phala.operator.app.sim;

import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import java.util.List;

/**
 * The end state of a replayed history, for a person reading why it failed ({@code -Ddst.debug}):
 * the CVMs of the apps the history made through the operator, and the stored status's phase,
 * rollout and conditions. Names and revisions, no values.
 */
final class StateDump {
  private StateDump() {}

  static String of(List<CvmSnapshot> cvms, PhalaAppStatus status) {
    StringBuilder out = new StringBuilder("  CVMs:");
    for (CvmSnapshot cvm : cvms) {
      out.append("\n    ")
          .append(cvm.vmUuid())
          .append(' ')
          .append(cvm.status())
          .append(cvm.inProgress() ? " (busy)" : "")
          .append(" boots=")
          .append(cvm.boots())
          .append(" keys=")
          .append(cvm.bootedEnv().stream().map(v -> v.key()).toList())
          .append(cvm.bootError() == null ? "" : " bootError=" + cvm.bootError());
    }
    if (status == null) {
      return out.append("\n  no status").toString();
    }
    out.append("\n  status phase=")
        .append(status.phase)
        .append(" ready=")
        .append(status.ready)
        .append(" upToDate=")
        .append(status.updatedReplicas)
        .append(" envRevision=")
        .append(status.envRevision);
    if (status.rollout != null) {
      out.append("\n  rollout lastGood=")
          .append(status.rollout.lastGoodRevision)
          .append(" failed=")
          .append(status.rollout.failedRevision)
          .append(" action=")
          .append(status.rollout.action)
          .append(" failure=")
          .append(status.rollout.failure);
    }
    if (status.cvms != null) {
      status.cvms.forEach(
          c ->
              out.append("\n    status ")
                  .append(c.cvmId)
                  .append(' ')
                  .append(c.phase)
                  .append(" rev=")
                  .append(c.envRevision)
                  .append(c.intent == null ? "" : " intent=" + c.intent.envRevision));
    }
    if (status.conditions != null) {
      status.conditions.forEach(
          c ->
              out.append("\n  ")
                  .append(c.getType())
                  .append('=')
                  .append(c.getStatus())
                  .append(' ')
                  .append(c.getReason())
                  .append(": ")
                  .append(c.getMessage()));
    }
    return out.toString();
  }
}
