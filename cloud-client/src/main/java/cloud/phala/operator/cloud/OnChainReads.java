package cloud.phala.operator.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The reads of an on-chain KMS app's contract Phala Cloud offers: whether a compose hash (on a
 * device) is allowed, and which nodes' devices the contract allows. Nothing here sends a
 * transaction: the operator holds no wallet.
 */
public final class OnChainReads {
  private final Calls calls;

  OnChainReads(Calls calls) {
    this.calls = calls;
  }

  /** {@code GET /apps/{app_id}/kms-info}: the chain id, empty for an app on Phala's KMS. */
  public Optional<Long> chainOf(String appId) {
    JsonNode reply =
        calls.call(
            "GET /apps/{app_id}/kms-info",
            "GET",
            "/apps/" + Calls.segment(appId) + "/kms-info",
            null,
            true);
    JsonNode chain = reply.path("chain_id");
    return reply.path("is_onchain_kms").asBoolean(false) && chain.canConvertToLong()
        ? Optional.of(chain.asLong())
        : Optional.empty();
  }

  /** {@code POST /apps/{app_id}/is-allowed}: whether the contract allows {@code composeHash}. */
  public boolean composeHashAllowed(String appId, String composeHash) {
    ObjectNode body = calls.json().createObjectNode().put("compose_hash", composeHash);
    JsonNode reply =
        calls.call(
            "POST /apps/{app_id}/is-allowed",
            "POST",
            "/apps/" + Calls.segment(appId) + "/is-allowed",
            body,
            true);
    return reply.path("compose_hash_allowed").asBoolean(false);
  }

  /**
   * {@code GET /apps/{app_id}/device-allowlist}: the names of the nodes whose device the contract
   * allows; empty when it allows any device.
   */
  public Optional<Set<String>> allowedNodeNames(String appId) {
    JsonNode reply =
        calls.call(
            "GET /apps/{app_id}/device-allowlist",
            "GET",
            "/apps/" + Calls.segment(appId) + "/device-allowlist",
            null,
            true);
    if (reply.path("allow_any_device").asBoolean(false)) {
      return Optional.empty();
    }
    Set<String> names = new LinkedHashSet<>();
    reply
        .path("devices")
        .forEach(
            d -> {
              if ("allowed".equals(d.path("status").asText())
                  || d.path("allowed_onchain").asBoolean(false)) {
                Answers.text(d.path("node_name")).ifPresent(names::add);
              }
            });
    return Optional.of(names);
  }
}
