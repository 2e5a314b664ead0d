package cloud.phala.operator.cloud;

import java.util.List;

/** The parts of an app compose the operator manages. */
public record ComposeSpec(
    String dockerComposeFile, String preLaunchScript, List<String> allowedEnvs) {}
