package cloud.phala.operator.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/** Reading optional, nullable fields out of request bodies. */
final class Bodies {
  private Bodies() {}

  /** Bodies that may be absent or null (e.g. replicate) read as an empty object. */
  static JsonNode objectOrEmpty(JsonNode body) {
    return body.isObject() ? body : JsonNodeFactory.instance.objectNode();
  }

  static String text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }

  static Integer integer(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node == null || node.isNull() ? null : node.asInt();
  }

  static Long number(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node == null || node.isNull() ? null : node.asLong();
  }

  static boolean flag(JsonNode body, String field) {
    return body.path(field).asBoolean(false);
  }

  /** A list of strings, or null when the field is absent or null (meaning: leave as is). */
  static List<String> strings(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    node.forEach(item -> out.add(item.asText()));
    return out;
  }
}
