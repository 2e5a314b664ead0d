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

  /** This CVM with an operation in progress, or none. */
  public Cvm withInProgress(boolean operating) {
    return new Cvm(
        vmUuid,
        id,
        name,
        appId,
        status,
        operating,
        composeHash,
        envPublicKey,
        kmsRootKey,
        endpoint,
        osImage,
        nodeId,
        instanceId);
  }

  /** This CVM running {@code image} on node {@code node}. */
  public Cvm withPlacement(String image, Integer node) {
    return new Cvm(
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
        image,
        node,
        instanceId);
  }

  /** This CVM listed with instance id {@code listed} (null: none listed). */
  public Cvm withInstanceId(String listed) {
    return new Cvm(
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
        listed);
  }

  /** Running with no operation in progress: serving. */
  public boolean isServing() {
    return "running".equals(status) && !inProgress;
  }
}
