package cloud.phala.operator.simulator.cloud;

import cloud.phala.operator.crypto.EnvVar;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An immutable copy of a CVM's state, safe to render outside the world's lock. */
public record CvmSnapshot(
    int id,
    String hashedId,
    UUID vmUuid,
    String instanceId,
    String name,
    String appId,
    String envPublicKey,
    String kmsType,
    Placement placement,
    OsImage osImage,
    Instant createdAt,
    AppCompose compose,
    String status,
    boolean inProgress,
    String progressTarget,
    Instant progressStartedAt,
    String correlationId,
    Instant runningSince,
    String bootError,
    List<EnvVar> bootedEnv,
    String bootedComposeHash,
    String bootedEncryptedEnv,
    int boots) {

  public String vmUuidWithoutDashes() {
    return vmUuid.toString().replace("-", "");
  }

  public String instanceType() {
    return placement.instanceType();
  }

  public int vcpu() {
    return placement.vcpu();
  }

  public int memoryMb() {
    return placement.memoryMb();
  }

  public int diskGb() {
    return placement.diskGb();
  }

  public int nodeId() {
    return placement.node().id();
  }

  public String nodeName() {
    return placement.node().name();
  }

  public String region() {
    return placement.node().region();
  }
}
