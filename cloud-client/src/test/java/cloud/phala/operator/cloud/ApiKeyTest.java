package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An API key is sent as the {@code X-API-Key} header, so it must be something a header can carry.
 * One that is not is refused by what is wrong with it, before any request, and never echoed (the
 * JDK's own refusal, {@code invalid header value: "<key>"}, prints the whole key).
 */
class ApiKeyTest {
  private static final String CANARY = "phak_canary-5e1f";

  static Stream<Arguments> badCharacters() {
    return Stream.of(
        Arguments.of("\n", "contains a line break"),
        Arguments.of("\r", "contains a line break"),
        Arguments.of("\u0000", "contains a control character"),
        Arguments.of("\u007f", "contains a control character"),
        Arguments.of(" ", "contains whitespace"),
        Arguments.of("\t", "contains whitespace"),
        Arguments.of("\u00e9", "contains a character outside printable ASCII"),
        Arguments.of("\u0100", "contains a character outside printable ASCII"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badCharacters")
  void aKeyAHeaderCannotCarry_isRefusedBeforeAnyRequest_sayingWhy_neverEchoingIt(
      String bad, String problem) {
    String key = CANARY + bad + "second-line";

    assertThatThrownBy(
            () ->
                new PhalaCloudClient(
                        PhalaCloudConfig.of("http://127.0.0.1:9/api/v1", key), ApiCallObserver.NONE)
                    .state("cvm-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the API key " + problem + ", so it cannot be sent as the X-API-Key header")
        .satisfies(e -> assertThat(e.toString()).doesNotContain("canary"));
  }

  @Test
  void anEmptyKey_isRefused() {
    assertThat(PhalaCloudConfig.apiKeyProblem("")).contains("is empty");
  }

  @Test
  void aKeyOfVisibleAscii_isAccepted() {
    assertThat(PhalaCloudConfig.apiKeyProblem("phak_AZaz09-._~+/=")).isEmpty();
  }
}
