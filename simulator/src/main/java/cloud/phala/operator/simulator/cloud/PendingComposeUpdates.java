package cloud.phala.operator.simulator.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * App composes provisioned for a CVM's compose update, by CVM and compose hash, until a commit
 * applies them. Guarded by the world's lock.
 */
final class PendingComposeUpdates {
  private final String gatewayDomain;
  private final Map<String, AppCompose> pending = new HashMap<>();

  PendingComposeUpdates(String gatewayDomain) {
    this.gatewayDomain = gatewayDomain;
  }

  /**
   * Holds the requested compose for {@code cvm}; without {@code updateEnvVars} it keeps the CVM's
   * allowed env keys.
   */
  ComposeUpdateResult provision(Cvm cvm, JsonNode requested, boolean updateEnvVars) {
    AppCompose compose = AppCompose.fromRequest(requested, gatewayDomain);
    if (!updateEnvVars) {
      compose = compose.withAllowedEnvs(cvm.compose.allowedEnvs());
    }
    pending.put(key(cvm, compose.hash()), compose);
    return new ComposeUpdateResult(cvm.app.appId, compose.hash());
  }

  /** The compose provisioned for {@code cvm} under {@code composeHash}; 400 if there is none. */
  AppCompose get(Cvm cvm, String composeHash) {
    AppCompose compose = pending.get(key(cvm, composeHash));
    if (compose == null) {
      throw new CloudError(
          400,
          "ERR-01-006",
          "Compose hash " + composeHash + " was not provisioned for this CVM",
          List.of(Map.of("field", "compose_hash", "value", composeHash)));
    }
    return compose;
  }

  /** Forgets a compose once a commit has applied it. */
  void remove(Cvm cvm, String composeHash) {
    pending.remove(key(cvm, composeHash));
  }

  void clear() {
    pending.clear();
  }

  private static String key(Cvm cvm, String composeHash) {
    return cvm.id + "/" + composeHash;
  }
}
