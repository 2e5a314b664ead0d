package cloud.phala.operator.cloud;

import cloud.phala.operator.crypto.SealedEnv;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The prepare-only calls of {@link PhalaCloudClient}: a change sent as {@code PATCH /cvms/{id}}
 * with {@code X-Prepare-Only: true}, so an on-chain KMS app's refusal (465) carries a commit token.
 */
final class PreparedCalls {
  private PreparedCalls() {}

  static void envUpdate(
      Calls calls, ObjectMapper json, String cvmId, SealedEnv env, List<String> envKeys) {
    ObjectNode body = json.createObjectNode();
    Requests.strings(body.putArray("allowed_envs"), envKeys);
    prepare(calls, cvmId, env, body);
  }

  static void composeUpdate(
      Calls calls, ObjectMapper json, String cvmId, ComposeSpec compose, SealedEnv env) {
    ObjectNode body = Requests.composeFile(json, compose);
    body.remove("name");
    prepare(calls, cvmId, env, body);
  }

  private static void prepare(Calls calls, String cvmId, SealedEnv env, ObjectNode body) {
    body.put("encrypted_env", env.toHex());
    try {
      calls.call(
          "PATCH /cvms/{cvm_id}",
          "PATCH",
          "/cvms/" + Calls.segment(cvmId),
          body,
          false,
          Map.of("X-Prepare-Only", "true"));
    } catch (OnChainApprovalRequired e) {
      e.preparedFor(cvmId);
      throw e;
    }
  }
}
