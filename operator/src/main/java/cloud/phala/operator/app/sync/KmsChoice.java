package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.app.sync.decide.OnChainGate;
import cloud.phala.operator.cloud.KmsInfo;
import cloud.phala.operator.crd.PhalaAppSpec;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The KMS an owned app's env key is asked of: {@code spec.kms.id}, else the one recorded for the
 * app, else {@code PHALA_KMS_ID}, else the app's own kind from {@code GET /kms}: Phala's KMS (no
 * chain), or for {@code spec.kms.type: OnChain} the KMS on {@code spec.kms.chain}. Empty when the
 * list has none of that kind. The first KMS of the list is never taken for another kind's app.
 * Observe passes the list read ({@code GET /kms}), asked only when it comes to that.
 */
final class KmsChoice {
  private KmsChoice() {}

  static Optional<String> of(
      PhalaAppSpec spec, String recorded, OperatorConfig config, Supplier<List<KmsInfo>> kmsList) {
    if (spec.kms != null && spec.kms.id != null) {
      return Optional.of(spec.kms.id);
    }
    if (recorded != null) {
      return Optional.of(recorded);
    }
    if (config.kmsId().isPresent()) {
      return config.kmsId();
    }
    Optional<Long> chain =
        OnChainGate.onChain(spec) ? Optional.of(spec.kms.chain.chainId()) : Optional.empty();
    List<KmsInfo> listed = kmsList.get();
    return listed.stream()
        .filter(k -> k.chainId().equals(chain))
        .findFirst()
        .map(k -> chain.isPresent() ? k.handle() : k.id());
  }

  /** Why there is no KMS to ask: the list has none of the app's kind. */
  static String missing(PhalaAppSpec spec) {
    return OnChainGate.onChain(spec)
        ? "GET /kms lists no KMS on chain "
            + spec.kms.chain
            + " (chain id "
            + spec.kms.chain.chainId()
            + "); name the app's KMS in spec.kms.id"
        : "GET /kms lists no Phala KMS (one without a chain); name the app's KMS in spec.kms.id";
  }
}
