package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.sync.decide.Observation.Lookup;
import java.util.Optional;
import java.util.Set;

/**
 * What observe read of an on-chain KMS app's contract, only when the decision needs it.
 *
 * @param approved whether the change that waits for approval is allowed now (asked at most once per
 *     {@link OnChainGate#POLL})
 * @param allowedNodes the names of the nodes whose device the contract allows (empty: any device),
 *     when a new CVM may be placed
 * @param chainId the chain id of the app's KMS ({@code GET /apps/{app_id}/kms-info}; empty: not an
 *     on-chain KMS), read once per app id and operator process
 */
public record OnChainSeen(
    Lookup<Boolean> approved,
    Lookup<Optional<Set<String>>> allowedNodes,
    Lookup<Optional<Long>> chainId) {
  public static final OnChainSeen NONE =
      new OnChainSeen(Lookup.notAsked(), Lookup.notAsked(), Lookup.notAsked());

  public OnChainSeen(Lookup<Boolean> approved, Lookup<Optional<Set<String>>> allowedNodes) {
    this(approved, allowedNodes, Lookup.notAsked());
  }
}
