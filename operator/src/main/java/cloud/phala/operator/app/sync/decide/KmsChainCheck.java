package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.owner.Claim;
import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.crd.KmsPolicy;
import java.util.Optional;

/**
 * {@code spec.kms.chain} against the chain of the adopted app's KMS: an app whose KMS runs on
 * another chain (or is Phala's own) is not the app the spec describes, so nothing is changed and
 * Ready says so. An unread chain is not a mismatch: observe reads it again. Pure.
 */
final class KmsChainCheck {
  private KmsChainCheck() {}

  static Optional<Decision> mismatch(
      Observation seen, StatusDraft draft, Notes notes, Optional<Claim.Owned> owned) {
    if (!OnChainGate.onChain(seen.app().getSpec()) || seen.app().getSpec().kms.chain == null) {
      return Optional.empty();
    }
    Optional<Optional<Long>> read = seen.cloud().onChain().chainId().value();
    KmsPolicy.Chain wanted = seen.app().getSpec().kms.chain;
    if (read.isEmpty() || read.get().equals(Optional.of(wanted.chainId()))) {
      return Optional.empty();
    }
    String message =
        "spec.kms.chain is "
            + wanted
            + " (chain id "
            + wanted.chainId()
            + ") but app "
            + draft.appId()
            + "'s KMS "
            + read.get().map(id -> "runs on chain id " + id).orElse("is not an on-chain KMS")
            + " (GET /apps/{app_id}/kms-info); nothing is changed: set spec.kms to the app's KMS";
    draft.conditions().set(ConditionType.READY, false, Reason.KMS_CHAIN_MISMATCH, message);
    return Optional.of(
        Decider.blocked(draft, notes, Reason.KMS_CHAIN_MISMATCH, message).withOwned(owned));
  }
}
