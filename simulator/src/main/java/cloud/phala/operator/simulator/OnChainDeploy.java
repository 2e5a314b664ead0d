package cloud.phala.operator.simulator;

import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.cloud.KmsAuthority;
import cloud.phala.operator.simulator.cloud.ProvisionRequest;
import cloud.phala.operator.simulator.cloud.World;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Deploys an on-chain KMS app the way {@code phala deploy --kms base|ethereum} does, for tests and
 * demos: provision, then commit under {@code appId}, which stands for the app contract the CLI
 * would deploy with the owner's wallet (no contract is deployed here).
 */
public final class OnChainDeploy {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OnChainDeploy() {}

  /** The app's env public key (hex), from the on-chain KMS of {@code chain}. */
  public static String envPublicKey(World world, String chain, String appId) {
    return world.envPubkey(KmsAuthority.slug(chain), appId, null).get("public_key");
  }

  /** {@code encryptedEnv}: hex sealed to {@link #envPublicKey}, or null for no env. */
  public static CvmSnapshot deploy(
      World world,
      String name,
      String dockerCompose,
      List<String> allowedEnvs,
      String chain,
      String appId,
      String encryptedEnv,
      Integer nodeId) {
    ObjectNode compose = JSON.createObjectNode();
    compose.put("name", "");
    compose.put("docker_compose_file", dockerCompose);
    compose.set("allowed_envs", JSON.valueToTree(allowedEnvs));
    String hash =
        world
            .provision(
                new ProvisionRequest(
                    name,
                    compose,
                    "tdx.small",
                    null,
                    null,
                    null,
                    nodeId,
                    null,
                    chain,
                    null,
                    null,
                    null))
            .composeHash();
    return world.commit(appId, hash, encryptedEnv, allowedEnvs);
  }
}
