package cloud.phala.operator.app.plan;

/**
 * A CVM as the planner sees it: its Phala Cloud state and the revision the operator last gave it
 * (null when unknown, e.g. a CVM made outside the operator).
 */
public record ObservedCvm(String vmUuid, String status, boolean inProgress, String revision) {
  public boolean serving() {
    return "running".equals(status) && !inProgress;
  }

  public boolean busy() {
    return inProgress;
  }

  public boolean onRevision(String wanted) {
    return wanted.equals(revision);
  }
}
