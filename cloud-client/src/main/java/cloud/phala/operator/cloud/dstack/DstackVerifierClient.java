package cloud.phala.operator.cloud.dstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A client of a dstack verifier (Dstack-TEE/dstack {@code verifier/}): {@code POST {base}/verify}
 * with {@code quote} (hex), {@code event_log} (the event log as a JSON text) and {@code vm_config}
 * (a JSON text, omitted when null). The verifier answers 200 with {@code is_valid}, {@code details}
 * and {@code reason} whether or not the quote verifies. Anything else (no answer within the
 * timeout, another status, an answer over {@link #MAX_ANSWER_BYTES} or not the API's shape) is a
 * {@link DstackVerifierException} that never carries the request or the answer.
 */
public final class DstackVerifierClient {
  public static final int MAX_ANSWER_BYTES = 1024 * 1024;
  private static final int MAX_ADVISORIES = 64;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final URI verify;
  private final Duration timeout;
  private final HttpClient http;

  public DstackVerifierClient(URI base, Duration timeout) {
    String text = base.toString();
    this.verify = URI.create((text.endsWith("/") ? text : text + "/") + "verify");
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** The URL verify posts to. */
  public URI verifyUrl() {
    return verify;
  }

  public DstackVerification verify(String quoteHex, String eventLogJson, String vmConfigJson) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("quote", quoteHex);
    body.put("event_log", eventLogJson);
    if (vmConfigJson != null) {
      body.put("vm_config", vmConfigJson);
    }
    HttpRequest request =
        HttpRequest.newBuilder(verify)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    HttpResponse<InputStream> response;
    byte[] answer;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        answer = in.readNBytes(MAX_ANSWER_BYTES + 1);
      }
    } catch (HttpTimeoutException e) {
      throw new DstackVerifierException(
          "the dstack verifier did not answer within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      throw new DstackVerifierException(
          "the dstack verifier could not be reached (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DstackVerifierException("interrupted while waiting for the dstack verifier");
    }
    if (response.statusCode() != 200) {
      throw new DstackVerifierException(
          "the dstack verifier answered HTTP " + response.statusCode());
    }
    if (answer.length > MAX_ANSWER_BYTES) {
      throw new DstackVerifierException(
          "the dstack verifier's answer is longer than " + MAX_ANSWER_BYTES + " bytes");
    }
    return parse(answer);
  }

  static DstackVerification parse(byte[] answer) {
    JsonNode root;
    try {
      root = MAPPER.readTree(answer);
    } catch (IOException e) {
      throw new DstackVerifierException("the dstack verifier's answer is not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new DstackVerifierException("the dstack verifier's answer is not a JSON object");
    }
    JsonNode details = root.path("details");
    if (!details.isObject()) {
      throw new DstackVerifierException("the dstack verifier's answer has no details object");
    }
    return new DstackVerification(
        bool(root, "is_valid"),
        bool(details, "quote_verified"),
        optionalBool(details, "event_log_verified"),
        optionalBool(details, "os_image_hash_verified"),
        tcbStatus(details.path("tcb_status")),
        advisories(details.path("advisory_ids")),
        text(root.path("reason"), "reason").map(VerifierText::oneBoundedLine));
  }

  private static boolean bool(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isBoolean()) {
      throw new DstackVerifierException(field + " is missing or not a boolean");
    }
    return value.asBoolean();
  }

  private static boolean optionalBool(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return false;
    }
    return bool(node, field);
  }

  private static Optional<String> text(JsonNode value, String field) {
    if (value.isMissingNode() || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new DstackVerifierException(field + " is not a string");
    }
    return Optional.of(value.asText());
  }

  /** Intel's TCB status is a short word; anything else is not an answer of the API. */
  private static Optional<String> tcbStatus(JsonNode value) {
    Optional<String> status = text(value, "details.tcb_status").filter(s -> !s.isEmpty());
    if (status.isPresent() && !status.get().matches("[A-Za-z]{1,40}")) {
      throw new DstackVerifierException("details.tcb_status is not a TCB status word");
    }
    return status;
  }

  private static List<String> advisories(JsonNode value) {
    if (value.isMissingNode() || value.isNull()) {
      return List.of();
    }
    if (!value.isArray() || value.size() > MAX_ADVISORIES) {
      throw new DstackVerifierException(
          "details.advisory_ids is not a list of at most " + MAX_ADVISORIES + " ids");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode id : value) {
      if (!id.isTextual() || !id.asText().matches("[A-Za-z0-9_.-]{1,40}")) {
        throw new DstackVerifierException(
            "details.advisory_ids holds something not an advisory id");
      }
      out.add(id.asText());
    }
    return out;
  }
}
