package cloud.phala.operator.app.plan;

import java.time.Instant;
import java.util.Objects;

/**
 * A CVM as the planner sees it: its Phala Cloud state, the revision and compose revision the
 * operator last gave it (null when unknown, e.g. a CVM made outside the operator), when it gave it
 * (null: unknown), and whether it serves but has not yet served for {@code minReadySeconds} ({@code
 * warming}: not available yet, as a Deployment's pod before minReadySeconds).
 *
 * <p>{@code rejected}: it serves, but a check of what it runs failed for good (under attestation
 * Required: a failed attestation, or none verified within readyTimeout), so however long it serves
 * it will not count as available.
 */
public record ObservedCvm(
    String vmUuid,
    String status,
    boolean inProgress,
    String revision,
    String composeRevision,
    Instant givenAt,
    boolean warming,
    boolean rejected) {

  public ObservedCvm(
      String vmUuid,
      String status,
      boolean inProgress,
      String revision,
      String composeRevision,
      Instant givenAt,
      boolean warming) {
    this(vmUuid, status, inProgress, revision, composeRevision, givenAt, warming, false);
  }

  public ObservedCvm(
      String vmUuid,
      String status,
      boolean inProgress,
      String revision,
      String composeRevision,
      Instant givenAt) {
    this(vmUuid, status, inProgress, revision, composeRevision, givenAt, false);
  }

  public ObservedCvm(String vmUuid, String status, boolean inProgress, String revision) {
    this(vmUuid, status, inProgress, revision, null, null);
  }

  public ObservedCvm(
      String vmUuid, String status, boolean inProgress, String revision, Instant givenAt) {
    this(vmUuid, status, inProgress, revision, null, givenAt);
  }

  public boolean serving() {
    return "running".equals(status) && !inProgress;
  }

  /** Serving for at least {@code minReadySeconds}: what the availability floor counts. */
  public boolean available() {
    return serving() && !warming && !rejected;
  }

  /** Serves, but waiting will not make it available: taking it down costs no availability. */
  public boolean servingRejected() {
    return serving() && rejected;
  }

  public boolean busy() {
    return inProgress;
  }

  /** Phala Cloud gave up booting it. */
  public boolean bootFailed() {
    return "error".equals(status) && !inProgress;
  }

  public boolean onRevision(String wanted) {
    return wanted.equals(revision);
  }

  /** The target's restart time has come and the CVM was not given anything since (or unknown). */
  public boolean restartDue(Target target) {
    return target.restartBefore() != null
        && (givenAt == null || givenAt.isBefore(target.restartBefore()));
  }

  /** Needs a step: another revision, or a restart. */
  public boolean stale(Target target) {
    return !onRevision(target.revision()) || restartDue(target);
  }

  /**
   * A replica copied from this CVM boots the target's compose and key set, so with the target's env
   * it runs the target revision.
   */
  public boolean templateFor(Target target) {
    return onRevision(target.revision())
        || Objects.equals(target.composeRevision(), composeRevision);
  }
}
