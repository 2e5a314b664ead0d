package cloud.phala.operator.cloud;

import java.util.Optional;

/**
 * A CVM as the operator needs it. {@code vmUuid} is the stable identifier the operator keys on;
 * {@code envPublicKey} is the app's X25519 key as the CVM reports it; {@code osImage} the name of
 * the OS image it runs and {@code nodeId} the node it runs on, {@code instanceId} the dstack
 * instance id Phala Cloud lists for it (hex; the {@code instance-id} event its attestation
 * carries), each null when not reported.
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
    Optional<String> endpoint,
    String osImage,
    Integer nodeId,
    String instanceId) {

  /** A CVM whose instance id is not known. */
  public Cvm(
      String vmUuid,
      String id,
      String name,
      String appId,
      String status,
      boolean inProgress,
      String composeHash,
      String envPublicKey,
      Optional<String> kmsRootKey,
      Optional<String> endpoint,
      String osImage,
      Integer nodeId) {
    this(
        vmUuid,
        id,
        name,
        appId,
        status,
        inProgress,
        composeHash,
        envPublicKey,
        kmsRootKey,
        endpoint,
        osImage,
        nodeId,
        null);
  }

  /** A CVM whose OS image and node are not known. */
  public Cvm(
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
    this(
        vmUuid,
        id,
        name,
        appId,
        status,
        inProgress,
        composeHash,
        envPublicKey,
        kmsRootKey,
        endpoint,
        null,
        null,
        null);
  }

  /** Running with no operation in progress: serving. */
  public boolean isServing() {
    return "running".equals(status) && !inProgress;
  }
}
