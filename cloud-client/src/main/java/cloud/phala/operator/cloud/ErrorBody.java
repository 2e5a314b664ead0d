package cloud.phala.operator.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Phala Cloud error bodies: FastAPI {@code {"detail": "..."}}, 422 {@code {"detail": [{loc,
 * msg}]}}, and the structured envelope at the top level or under {@code detail}. The {@code input}
 * FastAPI may echo is never read into a message.
 */
final class ErrorBody {
  record Parsed(String errorCode, String message) {}

  private ErrorBody() {}

  /**
   * The error code and message, each one bounded line ({@link ServerText}): they reach status
   * conditions and Events, where a server's text must neither forge lines nor fill the status.
   */
  static Parsed parse(ObjectMapper json, byte[] body) {
    Parsed parsed = read(json, body);
    return new Parsed(
        parsed.errorCode() == null ? null : ServerText.oneBoundedLine(parsed.errorCode()),
        ServerText.oneBoundedLine(parsed.message()));
  }

  private static Parsed read(ObjectMapper json, byte[] body) {
    JsonNode root;
    try {
      root = body.length == 0 ? null : json.readTree(body);
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      return new Parsed(null, "no JSON error body (" + body.length + " bytes)");
    }
    if (root.hasNonNull("error_code")) {
      return new Parsed(root.get("error_code").asText(), root.path("message").asText(""));
    }
    JsonNode detail = root.path("detail");
    if (detail.isObject() && detail.hasNonNull("error_code")) {
      return new Parsed(detail.get("error_code").asText(), detail.path("message").asText(""));
    }
    if (detail.isTextual()) {
      return new Parsed(null, detail.asText());
    }
    if (detail.isArray()) {
      List<String> problems = new ArrayList<>();
      for (JsonNode item : detail) {
        List<String> loc = new ArrayList<>();
        item.path("loc").forEach(l -> loc.add(l.asText()));
        problems.add(String.join(".", loc) + ": " + item.path("msg").asText("invalid"));
      }
      return new Parsed(null, "validation failed: " + String.join("; ", problems));
    }
    return new Parsed(null, "unrecognised error body");
  }
}
