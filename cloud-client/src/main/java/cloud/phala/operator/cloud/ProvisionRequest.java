package cloud.phala.operator.cloud;

import java.util.List;

/** A new app: name, compose, optional pre-launch script, the env keys it may receive, its size. */
public record ProvisionRequest(
    String name,
    String dockerComposeFile,
    String preLaunchScript,
    List<String> allowedEnvs,
    String instanceType,
    int diskSizeGb,
    String region) {}
