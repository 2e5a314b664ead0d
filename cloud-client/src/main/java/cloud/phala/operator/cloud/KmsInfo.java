package cloud.phala.operator.cloud;

import java.util.Optional;

/** A KMS as the API describes it; {@code k256_pubkey} is its root signing key. */
public record KmsInfo(String id, Optional<String> slug, Optional<String> rootKey) {}
