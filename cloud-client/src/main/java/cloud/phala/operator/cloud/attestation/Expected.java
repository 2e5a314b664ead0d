package cloud.phala.operator.cloud.attestation;

import java.util.Optional;

/**
 * What the operator deployed: hex compose hash and app id; the instance it expects, if known; and
 * the key provider (KMS) identity it pins, if any.
 */
public record Expected(
    String composeHash, String appId, Optional<String> instanceId, Optional<String> kmsIdentity) {
  public Expected(String composeHash, String appId, Optional<String> instanceId) {
    this(composeHash, appId, instanceId, Optional.empty());
  }

  public static Expected of(String composeHash, String appId) {
    return new Expected(composeHash, appId, Optional.empty(), Optional.empty());
  }

  public Expected withInstance(String instanceId) {
    return new Expected(composeHash, appId, Optional.of(instanceId), kmsIdentity);
  }

  /** Pins the {@code id} of the {@code key-provider} event (hex, {@code 0x} allowed). */
  public Expected withKmsIdentity(String kmsIdentity) {
    return new Expected(composeHash, appId, instanceId, Optional.of(kmsIdentity));
  }
}
