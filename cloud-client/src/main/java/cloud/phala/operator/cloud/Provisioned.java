package cloud.phala.operator.cloud;

import java.util.Optional;

/** What provision returns: the app id and key to seal to, and the compose hash to commit. */
public record Provisioned(
    String appId,
    String composeHash,
    String envPublicKey,
    String kmsId,
    Optional<String> kmsRootKey) {}
