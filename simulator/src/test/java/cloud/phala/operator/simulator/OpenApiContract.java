package cloud.phala.operator.simulator;

import cloud.phala.operator.simulator.http.RecordedExchange;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks exchanges against the official OpenAPI document (test resource {@code
 * phala-cloud-openapi.json}): JSON response bodies, and the bodies of requests the server accepted,
 * against the operation's schemas, and every error answer in a FastAPI shape ({@code detail}).
 * Paths the document lacks ({@code /auth/me}, {@code /teepods/available}) and the {@code /_sim}
 * hooks are not checked.
 */
public final class OpenApiContract {
  private static final String DOC_ID = "https://phala.test/openapi.json";
  private static final OpenApiContract INSTANCE = new OpenApiContract();

  private final JsonNode spec;
  private final SchemaRegistry registry;
  private final Map<String, Schema> cache = new ConcurrentHashMap<>();

  private OpenApiContract() {
    try (InputStream in = OpenApiContract.class.getResourceAsStream("/phala-cloud-openapi.json")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      spec = SimClient.JSON.readTree(text);
      registry =
          SchemaRegistry.withDefaultDialect(
              SpecificationVersion.DRAFT_2020_12, b -> b.schemas(Map.of(DOC_ID, text)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static OpenApiContract get() {
    return INSTANCE;
  }

  public List<String> violations(RecordedExchange exchange) {
    List<String> problems = new ArrayList<>();
    if (exchange.routeTemplate() == null || !exchange.routeTemplate().startsWith("/api/")) {
      return problems;
    }
    JsonNode operation =
        spec.path("paths").path(exchange.routeTemplate()).path(exchange.method().toLowerCase());
    if (operation.isMissingNode()) {
      return problems;
    }
    String where = exchange.method() + " " + exchange.routeTemplate() + " -> " + exchange.status();
    if (exchange.status() >= 400) {
      JsonNode body = parse(exchange.responseBody());
      if (body == null || !body.has("detail")) {
        problems.add(where + ": error body has no 'detail'");
      }
    }
    JsonNode responseSchema =
        operation
            .path("responses")
            .path(Integer.toString(exchange.status()))
            .path("content")
            .path("application/json")
            .path("schema");
    check(where + " response", responseSchema, exchange.responseBody(), problems);
    String contentType = exchange.requestContentType() == null ? "" : exchange.requestContentType();
    boolean accepted = exchange.status() < 400;
    if (accepted
        && contentType.startsWith("application/json")
        && exchange.requestBody().length > 0) {
      JsonNode requestSchema =
          operation.path("requestBody").path("content").path("application/json").path("schema");
      check(where + " request", requestSchema, exchange.requestBody(), problems);
    }
    return problems;
  }

  private void check(String where, JsonNode schemaNode, byte[] body, List<String> problems) {
    if (!schemaNode.isObject() || schemaNode.isEmpty()) {
      return;
    }
    JsonNode instance = parse(body);
    if (instance == null) {
      problems.add(where + ": body is not JSON");
      return;
    }
    Schema schema = cache.computeIfAbsent(schemaNode.toString(), k -> compile(schemaNode));
    for (Error error : schema.validate(instance)) {
      problems.add(where + ": " + error.getMessage());
    }
  }

  private Schema compile(JsonNode inline) {
    JsonNode absolute = absoluteRefs(inline.deepCopy());
    return registry.getSchema(SchemaLocation.of("urn:phala:schema:" + cache.size()), absolute);
  }

  private static JsonNode absoluteRefs(JsonNode node) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      JsonNode ref = object.get("$ref");
      if (ref != null && ref.asText().startsWith("#/")) {
        object.set("$ref", TextNode.valueOf(DOC_ID + ref.asText()));
      }
      object.forEach(OpenApiContract::absoluteRefs);
    } else if (node.isArray()) {
      node.forEach(OpenApiContract::absoluteRefs);
    }
    return node;
  }

  private static JsonNode parse(byte[] body) {
    try {
      return body.length == 0 ? null : SimClient.JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }
}
