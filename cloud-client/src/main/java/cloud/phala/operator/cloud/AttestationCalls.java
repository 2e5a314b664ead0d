package cloud.phala.operator.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The attestation calls of {@link PhalaCloudClient}: {@code GET /cvms/{id}/attestation} and {@code
 * POST /attestations/verify}.
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
}
