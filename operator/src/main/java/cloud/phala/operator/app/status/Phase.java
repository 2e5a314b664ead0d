package cloud.phala.operator.app.status;

/**
 * A PhalaApp's {@code status.phase}: one word for {@code kubectl get}, written as {@link #wire()}.
 */
public enum Phase {
  /** No Phala Cloud app yet (before the first deploy). */
  PENDING("Pending"),
  /** CVMs are being created, updated, added or removed. */
  ROLLING("Rolling"),
  /** Every replica runs the desired revision ({@code Ready=True}). */
  READY("Ready"),
  /** A CVM failed to boot, or a rollout was rolled back ({@code Degraded=True}). */
  DEGRADED("Degraded"),
  /** An on-chain KMS app's change waits for its owner's approval on-chain; the CVMs serve. */
  AWAITING_APPROVAL("AwaitingApproval"),
  /** The rollout of the desired revision failed and was halted. */
  HALTED("Halted"),
  /** The operator will not act: a source, the credentials, the env key or ownership is refused. */
  BLOCKED("Blocked");

  private final String wire;

  Phase(String wire) {
    this.wire = wire;
  }

  /** The phase as written in {@code status.phase}. */
  public String wire() {
    return wire;
  }
}
