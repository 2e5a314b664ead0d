package cloud.phala.operator.cloud.attestation;

import java.util.Optional;

/**
 * What the operator deployed: hex compose hash and app id, and the instance it expects, if known.
 */
public record Expected(String composeHash, String appId, Optional<String> instanceId) {
  public static Expected of(String composeHash, String appId) {
    return new Expected(composeHash, appId, Optional.empty());
  }

  public Expected withInstance(String instanceId) {
    return new Expected(composeHash, appId, Optional.of(instanceId));
  }
}
