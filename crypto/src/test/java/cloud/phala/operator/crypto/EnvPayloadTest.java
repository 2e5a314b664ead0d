package cloud.phala.operator.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnvPayloadTest {

  static List<JsonNode> jsStringifyVectors() {
    JsonNode root = Vectors.load("/js-json-stringify-vectors.json");
    return StreamSupport.stream(root.get("vectors").spliterator(), false).toList();
  }

  @ParameterizedTest
  @MethodSource("jsStringifyVectors")
  void encode_isByteIdenticalToJsonStringifyInNode(JsonNode vector) {
    EnvSet env =
        EnvSet.builder().put(vector.get("key").asText(), vector.get("value").asText()).build();

    byte[] encoded = EnvPayload.encode(env);

    assertThat(HexFormat.of().formatHex(encoded)).isEqualTo(vector.get("json_utf8_hex").asText());
  }

  @Test
  void encode_isTheStringPathEncodedAsUtf8_overRandomSets() {
    Random random = new Random(20261203L);
    for (int round = 0; round < 300; round++) {
      EnvSet env = RandomEnv.set(random, round);

      assertThat(EnvPayload.encode(env)).as("round %d", round).isEqualTo(viaString(env));
    }
  }

  @Test
  void encode_intoALargerBuffer_writesOnlyItsMeasuredBytes() {
    EnvSet env = EnvSet.builder().put("K", "v\u00e9\ud83d\ude00\n").put("EMPTY", "").build();
    EnvPayload.Encoding encoding = EnvPayload.measure(env);
    byte[] buffer = new byte[encoding.length() + 8];
    Arrays.fill(buffer, (byte) 0x55);

    encoding.writeTo(buffer, 4);

    assertThat(Arrays.copyOfRange(buffer, 4, 4 + encoding.length())).isEqualTo(viaString(env));
    assertThat(Arrays.copyOfRange(buffer, 0, 4)).containsOnly(0x55);
    assertThat(Arrays.copyOfRange(buffer, 4 + encoding.length(), buffer.length)).containsOnly(0x55);
  }

  @Test
  void encode_keepsInsertionOrderAndIsCompact() {
    EnvSet env = EnvSet.builder().put("Z", "1").put("A", "2").build();

    assertThat(new String(EnvPayload.encode(env), StandardCharsets.UTF_8))
        .isEqualTo("{\"env\":[{\"key\":\"Z\",\"value\":\"1\"},{\"key\":\"A\",\"value\":\"2\"}]}");
  }

  @Test
  void encode_ofTheEmptySet_isAnEmptyList() {
    assertThat(new String(EnvPayload.encode(EnvSet.empty()), StandardCharsets.UTF_8))
        .isEqualTo("{\"env\":[]}");
  }

  @Test
  void decode_toleratesWhitespaceFieldOrderAndUnknownFieldsLikeTheGuest() throws IOException {
    String json =
        "{ \"extra\": {\"a\": [1, 2]},\n \"env\" : [ {\"value\": \"v\", \"note\": null, \"key\": \"K\"} ] }";

    assertThat(EnvPayload.decode(json.getBytes(StandardCharsets.UTF_8)))
        .containsExactly(new EnvVar("K", "v"));
  }

  @Test
  void decode_keepsDuplicatesInOrderSoTheGuestCanCountThem() throws IOException {
    String json = "{\"env\":[{\"key\":\"A\",\"value\":\"1\"},{\"key\":\"A\",\"value\":\"2\"}]}";

    assertThat(EnvPayload.decode(json.getBytes(StandardCharsets.UTF_8)))
        .containsExactly(new EnvVar("A", "1"), new EnvVar("A", "2"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "{}",
        "{\"env\":{}}",
        "{\"env\":[{\"key\":\"A\"}]}",
        "{\"env\":[{\"key\":\"A\",\"value\":1}]}",
        "{\"env\":[{\"key\":null,\"value\":\"x\"}]}",
        "{\"env\":[{\"key\":\"A\",\"key\":\"B\",\"value\":\"x\"}]}",
        "{\"env\":[]} trailing",
        "{\"env\":[],}",
        "{'env':[]}"
      })
  void decode_rejectsAnythingButTheEnvShape(String json) {
    assertThatThrownBy(() -> EnvPayload.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class);
  }

  /** The encoding before issue 18: JsJson into a String, then UTF-8. */
  private static byte[] viaString(EnvSet env) {
    StringBuilder out = new StringBuilder("{\"env\":[");
    String separator = "";
    for (EnvVar var : env.entries()) {
      out.append(separator).append("{\"key\":");
      JsJson.quote(var.key(), out);
      out.append(",\"value\":");
      JsJson.quote(var.value(), out);
      out.append('}');
      separator = ",";
    }
    return out.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }
}
