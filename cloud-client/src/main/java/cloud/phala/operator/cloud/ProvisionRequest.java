package cloud.phala.operator.cloud;

import java.util.List;

/**
 * A new app: name, compose, optional pre-launch script, the env keys it may receive, its size, and
 * optionally its region, OS image and node.
 */
public record ProvisionRequest(
    String name,
    String dockerComposeFile,
    String preLaunchScript,
    List<String> allowedEnvs,
    String instanceType,
    int diskSizeGb,
    String region,
    String osImage,
    Integer nodeId) {

  /** On the default OS image, on any node. */
  public ProvisionRequest(
      String name,
      String dockerComposeFile,
      String preLaunchScript,
      List<String> allowedEnvs,
      String instanceType,
      int diskSizeGb,
      String region) {
    this(
        name,
        dockerComposeFile,
        preLaunchScript,
        allowedEnvs,
        instanceType,
        diskSizeGb,
        region,
        null,
        null);
  }
}
