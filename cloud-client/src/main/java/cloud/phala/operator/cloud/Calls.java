package cloud.phala.operator.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Sends one API call through the transport and reads its answer. */
final class Calls {
  private final ObjectMapper json;
  private final HttpTransport transport;

  Calls(ObjectMapper json, HttpTransport transport) {
    this.json = json;
    this.transport = transport;
  }

  ObjectMapper json() {
    return json;
  }

  /** A call whose answer must be a JSON object. */
  JsonNode call(String operation, String method, String path, JsonNode body, boolean idempotent) {
    return Answers.read(
        json, operation, send(operation, method, path, body, idempotent), JsonNodeType.OBJECT);
  }

  /** A call with headers beyond the common ones (e.g. {@code X-Prepare-Only}). */
  JsonNode call(
      String operation,
      String method,
      String path,
      JsonNode body,
      boolean idempotent,
      java.util.Map<String, String> extraHeaders) {
    try {
      byte[] answer =
          transport.send(
              new HttpTransport.Call(
                  operation,
                  method,
                  path,
                  body == null ? null : json.writeValueAsBytes(body),
                  idempotent,
                  extraHeaders));
      return Answers.read(json, operation, answer, JsonNodeType.OBJECT);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the request of " + operation, e);
    }
  }

  /** A call whose answer is not read (it may be empty). */
  void ignoringAnswer(
      String operation, String method, String path, JsonNode body, boolean idempotent) {
    send(operation, method, path, body, idempotent);
  }

  byte[] send(String operation, String method, String path, JsonNode body, boolean idempotent) {
    try {
      return transport.send(
          new HttpTransport.Call(
              operation,
              method,
              path,
              body == null ? null : json.writeValueAsBytes(body),
              idempotent));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the request of " + operation, e);
    }
  }

  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
