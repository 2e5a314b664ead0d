package cloud.phala.operator.simulator.http;

import cloud.phala.operator.simulator.cloud.CloudError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One API request, parsed: path parameters, query, headers, body. */
public final class Request {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String method;
  private final String path;
  private final Map<String, String> pathParams;
  private final Map<String, String> query;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final ApiVersion version;

  Request(
      String method,
      String path,
      Map<String, String> pathParams,
      String rawQuery,
      Map<String, List<String>> headers,
      byte[] body,
      ApiVersion version) {
    this.method = method;
    this.path = path;
    this.pathParams = pathParams;
    this.query = parseQuery(rawQuery);
    this.headers = headers;
    this.body = body;
    this.version = version;
  }

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }

  public String pathParam(String name) {
    return pathParams.get(name);
  }

  public Optional<String> query(String name) {
    return Optional.ofNullable(query.get(name));
  }

  /** An integer query parameter within bounds, or a FastAPI-style 422. */
  public int intQuery(String name, int fallback, int min, int max) {
    Optional<String> raw = query(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.get());
      if (value < min || value > max) {
        throw queryError(name, "Input should be between " + min + " and " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw queryError(name, "Input should be a valid integer");
    }
  }

  /** A boolean query parameter as FastAPI reads one (true/false, 1/0, yes/no, on/off), or 422. */
  public boolean boolQuery(String name, boolean fallback) {
    Optional<String> raw = query(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    return switch (raw.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes", "on", "t", "y" -> true;
      case "false", "0", "no", "off", "f", "n" -> false;
      default -> throw queryError(name, "Input should be a valid boolean");
    };
  }

  private static CloudError queryError(String name, String message) {
    return new CloudError(
        422, null, message, List.of(Map.of("loc", List.of("query", name), "type", "value_error")));
  }

  public Optional<String> header(String name) {
    return Headers.first(headers, name);
  }

  public ApiVersion version() {
    return version;
  }

  public String contentType() {
    return header("Content-Type").orElse("").toLowerCase(java.util.Locale.ROOT);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public byte[] bodyBytes() {
    return body.clone();
  }

  /** The body as JSON; an empty body is JSON null. Malformed JSON is FastAPI's 422. */
  public JsonNode json() {
    if (body.length == 0) {
      return NullNode.getInstance();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new CloudError(
          422,
          null,
          "JSON decode error",
          List.of(Map.of("loc", List.of("body", 0), "type", "json_invalid")));
    }
  }

  /** The JSON body, which must be an object; fields listed as required must be present. */
  public JsonNode jsonObject(String... requiredFields) {
    JsonNode node = json();
    if (!node.isObject()) {
      throw new CloudError(
          422,
          null,
          "Input should be a valid dictionary or object",
          List.of(Map.of("loc", List.of("body"), "type", "model_attributes_type")));
    }
    for (String field : requiredFields) {
      if (!node.hasNonNull(field)) {
        throw new CloudError(
            422,
            null,
            "Field required",
            List.of(Map.of("loc", List.of("body", field), "type", "missing")));
      }
    }
    return node;
  }

  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      out.putIfAbsent(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return out;
  }
}
