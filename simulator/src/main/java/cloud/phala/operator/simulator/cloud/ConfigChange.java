package cloud.phala.operator.simulator.cloud;

import java.util.List;

/**
 * A change to what a CVM boots with; null fields stay as they are. {@code allowedEnvs} replaces the
 * app compose's list.
 */
public record ConfigChange(
    String encryptedEnv,
    List<String> allowedEnvs,
    String dockerComposeFile,
    String preLaunchScript,
    AppCompose compose) {

  public static ConfigChange envs(String encryptedEnv, List<String> allowedEnvs) {
    return new ConfigChange(encryptedEnv, allowedEnvs, null, null, null);
  }
}
