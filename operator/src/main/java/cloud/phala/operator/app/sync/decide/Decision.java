package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.owner.Claim;
import cloud.phala.operator.crypto.EnvPublicKey;
import java.util.List;
import java.util.Optional;

/**
 * What a pass does: the ownership records to write first, then the steps in order, each giving
 * {@code target} (sealed to {@code key}); and the status as it stands before any step ({@code
 * draft}, which the steps' outcomes and the report complete).
 *
 * @param owned the claim whose records are written before anything else (empty: none to write)
 * @param steps the steps, in order
 * @param target what the steps give the CVMs (null without steps)
 * @param key the key the target's env is sealed to (null when no step seals)
 * @param converging whether the app is still converging, before the steps are counted
 * @param reportsHealth whether the report sets Ready, Progressing and Degraded from the CVMs
 */
public record Decision(
    Optional<Claim.Owned> owned,
    List<Step> steps,
    Desired target,
    EnvPublicKey key,
    StatusDraft draft,
    Notes notes,
    boolean converging,
    boolean reportsHealth) {

  /** Nothing to do on Phala Cloud, and no health to report. */
  static Decision none(
      Optional<Claim.Owned> owned, StatusDraft draft, Notes notes, boolean converging) {
    return new Decision(owned, List.of(), null, null, draft, notes, converging, false);
  }

  Decision withOwned(Optional<Claim.Owned> claim) {
    return new Decision(claim, steps, target, key, draft, notes, converging, reportsHealth);
  }

  /**
   * When a pass is due for a reason no event brings (a batchWindow wait ending, the next check of a
   * change waiting for on-chain approval); or empty.
   */
  public Optional<java.time.Instant> wakeAt() {
    return Optional.ofNullable(draft.batchUntil())
        .or(() -> OnChainGate.nextCheck(draft.rollout().awaitingApproval));
  }

  /** Whether the pass goes on converging after its steps. */
  public boolean convergingAfterSteps() {
    return converging || !steps.isEmpty();
  }
}
