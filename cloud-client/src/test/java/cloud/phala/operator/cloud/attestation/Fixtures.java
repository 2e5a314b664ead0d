package cloud.phala.operator.cloud.attestation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The real attestations under src/test/resources/attestation (sources in its README). */
final class Fixtures {
  static final String NEAR = "near-mpc-localnet.json";
  static final String NEAR_COMPOSE_HASH =
      "2911e1f733466216dedb862d6d669e11256ee7a34ce4dbc66c4b807ba7a9c895";
  static final String NEAR_APP_ID = "2911e1f733466216dedb862d6d669e11256ee7a3";
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Fixtures() {}

  static String text(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/attestation/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode tree(String name) {
    try {
      return (ObjectNode) MAPPER.readTree(text(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
