package cloud.phala.operator.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * The known-answer vectors in test resources (copied from shared/reference/crypto-vectors.json).
 */
final class Vectors {
  private static final JsonNode ROOT = load("/crypto-vectors.json");

  private Vectors() {}

  static JsonNode load(String resource) {
    try (InputStream in = Vectors.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> section(String name) {
    return StreamSupport.stream(ROOT.get(name).spliterator(), false).toList();
  }

  static JsonNode named(String section, String namePrefix) {
    return section(section).stream()
        .filter(v -> v.path("name").asText().startsWith(namePrefix))
        .findFirst()
        .orElseThrow();
  }

  static List<EnvVar> envs(JsonNode vector) {
    List<EnvVar> out = new ArrayList<>();
    vector
        .get("envs")
        .forEach(e -> out.add(new EnvVar(e.get("key").asText(), e.get("value").asText())));
    return out;
  }
}
