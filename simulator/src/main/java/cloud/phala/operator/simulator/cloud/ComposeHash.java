package cloud.phala.operator.simulator.cloud;

import cloud.phala.operator.crypto.JsJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Phala Cloud's compose hash (protocol section 4.2): SHA-256 of the app compose written with keys
 * sorted at every level, four-space indent, no space after the colon ({@code JSON.stringify(obj,
 * null, 4)} then {@code ": "} to {@code ":"}), after dropping the field the runner does not use and
 * an empty pre-launch script.
 */
final class ComposeHash {
  private ComposeHash() {}

  static String of(ObjectNode compose) {
    return sha256(serialize(preprocess(compose)));
  }

  static ObjectNode preprocess(ObjectNode compose) {
    ObjectNode copy = compose.deepCopy();
    String runner = copy.path("runner").asText("docker-compose");
    if ("bash".equals(runner)) {
      copy.remove("docker_compose_file");
    } else if ("docker-compose".equals(runner)) {
      copy.remove("bash_script");
    }
    if (copy.path("pre_launch_script").asText("").isEmpty()) {
      copy.remove("pre_launch_script");
    }
    return copy;
  }

  static String serialize(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, 0, out);
    return out.toString();
  }

  private static void write(JsonNode node, int depth, StringBuilder out) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      writeContainer(
          '{',
          '}',
          names.size(),
          depth,
          out,
          (i, o) -> {
            JsJson.quote(names.get(i), o);
            o.append(':');
            write(node.get(names.get(i)), depth + 1, o);
          });
    } else if (node.isArray()) {
      writeContainer('[', ']', node.size(), depth, out, (i, o) -> write(node.get(i), depth + 1, o));
    } else if (node.isTextual()) {
      JsJson.quote(node.asText(), out);
    } else {
      out.append(node.toString());
    }
  }

  private interface ItemWriter {
    void write(int index, StringBuilder out);
  }

  private static void writeContainer(
      char open, char close, int size, int depth, StringBuilder out, ItemWriter items) {
    out.append(open);
    if (size == 0) {
      out.append(close);
      return;
    }
    for (int i = 0; i < size; i++) {
      out.append(i == 0 ? "\n" : ",\n").append("    ".repeat(depth + 1));
      items.write(i, out);
    }
    out.append('\n').append("    ".repeat(depth)).append(close);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
