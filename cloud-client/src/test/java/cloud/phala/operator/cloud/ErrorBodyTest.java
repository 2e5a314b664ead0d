package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ErrorBodyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ErrorBody.Parsed parse(String body) {
    return ErrorBody.parse(JSON, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theEnvelope_isReadAtTheTopLevel() {
    assertThat(
            parse("{\"error_code\":\"ERR-03-001\",\"message\":\"CVM not found\",\"details\":[]}"))
        .isEqualTo(new ErrorBody.Parsed("ERR-03-001", "CVM not found"));
  }

  @Test
  void theEnvelope_isReadUnderDetail() {
    assertThat(
            parse("{\"detail\":{\"error_code\":\"ERR-01-005\",\"message\":\"register the hash\"}}"))
        .isEqualTo(new ErrorBody.Parsed("ERR-01-005", "register the hash"));
  }

  @Test
  void aLongOrMultiLineMessage_becomesOneBoundedLine_sayingItWasCut() {
    String forged = "refused\n2026-11-29 INFO forged log line\u001b[31m" + "x".repeat(5_000);

    ErrorBody.Parsed parsed =
        parse("{\"error_code\":\"ERR-9\\nX\",\"message\":" + JSON.valueToTree(forged) + "}");

    assertThat(parsed.message())
        .doesNotContain("\n", "\u001b")
        .startsWith("refused 2026-11-29 INFO forged log line")
        .containsPattern("… \\(cut: [0-9]+ characters in all\\)$")
        .hasSizeLessThan(ServerText.MAX_CHARS + 40);
    assertThat(parsed.errorCode()).isEqualTo("ERR-9 X");
  }

  @Test
  void aPlainDetail_isTheMessage() {
    assertThat(parse("{\"detail\":\"Another operation in progress\"}"))
        .isEqualTo(new ErrorBody.Parsed(null, "Another operation in progress"));
  }

  @Test
  void aValidationList_namesEachFieldButNeverEchoesTheInput() {
    ErrorBody.Parsed parsed =
        parse(
            "{\"detail\":[{\"loc\":[\"body\",\"encrypted_env\"],\"msg\":\"Field required\",\"type\":\"missing\","
                + "\"input\":{\"env_keys\":[\"canary-input-echo\"]}}]}");

    assertThat(parsed.message()).isEqualTo("validation failed: body.encrypted_env: Field required");
    assertThat(parsed.message()).doesNotContain("canary-input-echo");
  }

  @Test
  void aBodyThatIsNotJson_isDescribedByItsSizeOnly() {
    assertThat(parse("<html>gateway canary</html>").message())
        .isEqualTo("no JSON error body (27 bytes)")
        .doesNotContain("canary");
  }

  @Test
  void exceptionMessages_nameTheOperationAndStatus_andConfigNeverPrintsTheKey() {
    PhalaApiException e =
        new PhalaApiException("GET /cvms/{cvm_id}", 404, "ERR-03-001", "CVM not found");

    assertThat(e.getMessage())
        .isEqualTo("GET /cvms/{cvm_id} failed with HTTP 404 ERR-03-001: CVM not found");
    assertThat(PhalaCloudConfig.of("http://x/api/v1", "phak_canary_key").toString())
        .doesNotContain("phak_canary_key");
  }
}
