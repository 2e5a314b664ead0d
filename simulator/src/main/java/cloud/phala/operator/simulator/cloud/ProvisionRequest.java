package cloud.phala.operator.simulator.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The fields of {@code POST /cvms/provision} the simulator acts on. */
public record ProvisionRequest(
    String name,
    JsonNode composeFile,
    String instanceType,
    Integer vcpu,
    Integer memoryMb,
    Integer diskGb,
    Integer nodeId,
    String region,
    String kms,
    Long nonce,
    String appId,
    List<String> envKeys,
    String image) {

  /** A request for the default OS image. */
  public ProvisionRequest(
      String name,
      JsonNode composeFile,
      String instanceType,
      Integer vcpu,
      Integer memoryMb,
      Integer diskGb,
      Integer nodeId,
      String region,
      String kms,
      Long nonce,
      String appId,
      List<String> envKeys) {
    this(
        name,
        composeFile,
        instanceType,
        vcpu,
        memoryMb,
        diskGb,
        nodeId,
        region,
        kms,
        nonce,
        appId,
        envKeys,
        null);
  }
}
