package cloud.phala.operator.cloud;

import java.util.Optional;

/**
 * A KMS as the API describes it; {@code k256_pubkey} is its root signing key, {@code chain_id} the
 * chain of an on-chain KMS (empty for Phala's own).
 */
public record KmsInfo(
    String id, Optional<String> slug, Optional<String> rootKey, Optional<Long> chainId) {

  public KmsInfo(String id, Optional<String> slug, Optional<String> rootKey) {
    this(id, slug, rootKey, Optional.empty());
  }

  /** The id or slug to ask the KMS by: the slug when there is one (what the CLI falls back to). */
  public String handle() {
    return slug.orElse(id);
  }
}
