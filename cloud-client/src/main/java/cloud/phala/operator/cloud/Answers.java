package cloud.phala.operator.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/** Reads the API's answers: checks their shape and maps the CVM shapes to {@link Cvm}. */
final class Answers {
  private Answers() {}

  /**
   * Parses an answer that must be JSON of the {@code expected} type; anything else (empty,
   * truncated, not JSON, or e.g. a string or an array where an object belongs) is refused by its
   * shape, never by echoing the body.
   */
  static JsonNode read(ObjectMapper json, String operation, byte[] bytes, JsonNodeType expected) {
    String wanted = expected == JsonNodeType.ARRAY ? "an array" : "an object";
    if (bytes.length == 0) {
      throw new PhalaApiException(operation, 200, null, "answer is empty, expected " + wanted);
    }
    JsonNode node;
    try {
      node = json.readTree(bytes);
    } catch (IOException e) {
      throw new PhalaApiException(
          operation, 200, null, "answer is not JSON (" + bytes.length + " bytes)");
    }
    if (node == null || node.isMissingNode()) {
      throw new PhalaApiException(operation, 200, null, "answer is empty, expected " + wanted);
    }
    if (node.getNodeType() != expected) {
      String actual = node.getNodeType().name().toLowerCase(Locale.ROOT);
      throw new PhalaApiException(
          operation, 200, null, "answer is a JSON " + actual + ", expected " + wanted);
    }
    return node;
  }

  static Cvm cvmInfo(JsonNode node) {
    JsonNode kms = node.path("kms_info");
    JsonNode endpoint = node.path("endpoints").path(0).path("app");
    return new Cvm(
        node.path("vm_uuid").asText(),
        node.path("id").asText(),
        node.path("name").asText(),
        node.path("app_id").asText(),
        node.path("status").asText(),
        node.path("in_progress").asBoolean(false),
        node.path("compose_hash").asText(null),
        kms.path("encrypted_env_pubkey").asText(node.path("encrypted_env_pubkey").asText(null)),
        text(kms.path("k256_pubkey")),
        text(endpoint),
        osImage(node.path("os")).or(() -> text(node.path("base_image"))).orElse(null),
        nodeId(node.path("node_info").path("id"), node.path("teepod_id")),
        text(node.path("instance_id")).orElse(null));
  }

  /** The {@code VM} shape of commit and replicate answers: the CVM was just created. */
  static Cvm createdVm(JsonNode node) {
    return new Cvm(
        node.path("vm_uuid").asText(),
        node.path("id").asText(),
        node.path("name").asText(),
        node.path("app_id").asText(),
        node.path("status").asText(),
        true,
        null,
        node.path("encrypted_env_pubkey").asText(null),
        Optional.empty(),
        text(node.path("app_url")),
        text(node.path("base_image")).orElse(null),
        nodeId(node.path("teepod_id"), node.path("teepod_id")),
        text(node.path("instance_id")).orElse(null));
  }

  /**
   * The image name as {@code available-os-images} lists it ({@code dstack-0.5.5}, {@code
   * dstack-dev-0.5.5}). Should {@code os.name} be the bare family ({@code dstack}; not documented),
   * the version and dev flag complete it.
   */
  static Optional<String> osImage(JsonNode os) {
    Optional<String> name = text(os.path("name"));
    Optional<String> version = text(os.path("version"));
    if (name.isEmpty() || version.isEmpty() || name.get().endsWith(version.get())) {
      return name;
    }
    boolean dev = os.path("is_dev").asBoolean(false) && !name.get().contains("dev");
    return Optional.of(name.get() + (dev ? "-dev-" : "-") + version.get());
  }

  private static Integer nodeId(JsonNode first, JsonNode second) {
    JsonNode id = first.isIntegralNumber() ? first : second;
    return id.isIntegralNumber() ? id.asInt() : null;
  }

  static KmsInfo kmsInfo(JsonNode node) {
    JsonNode chain = node.path("chain_id");
    return new KmsInfo(
        node.path("id").asText(),
        text(node.path("slug")),
        text(node.path("k256_pubkey")),
        chain.canConvertToLong() ? Optional.of(chain.asLong()) : Optional.empty());
  }

  /** A field the rest of a deploy depends on: a non-empty string, or the answer is refused. */
  static String required(JsonNode reply, String field, String operation) {
    return text(reply.path(field))
        .orElseThrow(
            () ->
                new PhalaApiException(operation, 200, null, "answer has no " + field + " string"));
  }

  static Optional<String> text(JsonNode node) {
    return node.isTextual() && !node.asText().isEmpty()
        ? Optional.of(node.asText())
        : Optional.empty();
  }
}
