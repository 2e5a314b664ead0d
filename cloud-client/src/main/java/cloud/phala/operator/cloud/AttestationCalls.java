package cloud.phala.operator.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attestation calls of {@link PhalaCloudClient}: {@code GET /cvms/{id}/attestation}, {@code
 * POST /attestations/verify} and {@code GET /apps/{app_id}/attestations/tcb-evaluation}.
 */
public final class AttestationCalls {
  private final Calls calls;

  AttestationCalls(Calls calls) {
    this.calls = calls;
  }

  /** The raw answer: the evidence library bounds and parses it, never echoing it. */
  public String of(String cvmId) {
    byte[] answer =
        calls.send(
            "GET /cvms/{cvm_id}/attestation",
            "GET",
            "/cvms/" + Calls.segment(cvmId) + "/attestation",
            null,
            true);
    return new String(answer, StandardCharsets.UTF_8);
  }

  /** Empty when Phala Cloud verified the quote, otherwise why not (400: verification failed). */
  public String whyQuoteNotVerified(String quoteHex) {
    ObjectNode body = calls.json().createObjectNode();
    body.put("hex", quoteHex);
    JsonNode reply;
    try {
      reply = calls.call("POST /attestations/verify", "POST", "/attestations/verify", body, true);
    } catch (PhalaApiException e) {
      if (e.status() == 400) {
        return "Phala Cloud refused the quote (400)";
      }
      throw e;
    }
    return reply.path("success").asBoolean(false) ? "" : "Phala Cloud did not verify the quote";
  }

  /**
   * {@code GET /apps/{app_id}/attestations}: every CVM's attestation in one call, by vm_uuid, each
   * in the shape {@link #of} answers (an instance with no error and a tcb_info is online), for the
   * evidence library to bound and parse.
   */
  public Map<String, String> ofApp(String appId) {
    JsonNode reply =
        calls.call(
            "GET /apps/{app_id}/attestations",
            "GET",
            "/apps/" + Calls.segment(appId) + "/attestations",
            null,
            true);
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode instance : reply.path("instances")) {
      if (!instance.path("vm_uuid").isTextual()) {
        continue;
      }
      ObjectNode answer = instance.deepCopy();
      answer.put(
          "is_online",
          "running".equals(instance.path("status").asText())
              && instance.path("error").isNull()
              && instance.path("tcb_info").isObject());
      out.put(instance.path("vm_uuid").asText(), answer.toString());
    }
    return out;
  }

  /** Intel's TCB evaluation of each running CVM of the app: one call for all of them. */
  public List<TcbEvaluation> tcbEvaluation(String appId) {
    JsonNode reply =
        calls.call(
            "GET /apps/{app_id}/attestations/tcb-evaluation",
            "GET",
            "/apps/" + Calls.segment(appId) + "/attestations/tcb-evaluation",
            null,
            true);
    List<TcbEvaluation> out = new ArrayList<>();
    for (JsonNode instance : reply.path("instances")) {
      out.add(
          new TcbEvaluation(
              text(instance, "vm_uuid"),
              instance.path("evaluation_ok").isBoolean()
                  ? instance.path("evaluation_ok").asBoolean()
                  : null,
              text(instance, "evaluation_status"),
              text(instance, "error")));
    }
    return out;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.asText() : null;
  }
}
