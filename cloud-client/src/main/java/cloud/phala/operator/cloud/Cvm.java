package cloud.phala.operator.cloud;

import java.util.Optional;

/**
 * A CVM as the operator needs it. {@code vmUuid} is the stable identifier the operator keys on;
 * {@code envPublicKey} is the app's X25519 key as the CVM reports it.
 */
public record Cvm(
    String vmUuid,
    String id,
    String name,
    String appId,
    String status,
    boolean inProgress,
    String composeHash,
    String envPublicKey,
    Optional<String> kmsRootKey,
    Optional<String> endpoint) {

  /** Running with no operation in progress: serving. */
  public boolean isServing() {
    return "running".equals(status) && !inProgress;
  }
}
