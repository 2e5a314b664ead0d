package cloud.phala.operator.cloud.dstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dstack verifier's POST /verify, from a stub server speaking its API (Dstack-TEE/dstack
 * verifier/src/types.rs): the request carries what the verifier reads, its answer is read into a
 * {@link DstackVerification}, and every answer that is not the API's, or none at all, is a {@link
 * DstackVerifierException} that carries neither the quote nor the answer.
 */
class DstackVerifierClientTest {
  private static final String CANARY = "canary-7d2e-dstack-verifier";
  private static final String QUOTE = "04000200" + "ab".repeat(600);
  private static final String EVENT_LOG =
      "[{\"imr\":3,\"event_type\":134217729,\"digest\":\"00\",\"event\":\"" + CANARY + "\"}]";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static HttpServer server;
  private static volatile int status;
  private static volatile byte[] answer;
  private static volatile String lastPath;
  private static volatile JsonNode lastBody;
  private static volatile CountDownLatch hold;

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          lastPath = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
          lastBody = JSON.readTree(exchange.getRequestBody().readAllBytes());
          if (hold != null) {
            try {
              hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] body = answer;
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  @AfterEach
  void release() {
    if (hold != null) {
      hold.countDown();
      hold = null;
    }
  }

  private static DstackVerifierClient client(String path) {
    return new DstackVerifierClient(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path),
        Duration.ofSeconds(5));
  }

  private static void answer(int code, String body) {
    status = code;
    answer = body.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theRequest_carriesTheQuoteInHex_theEventLogAndVmConfigAsJsonTexts_toVerifyUnderTheBase()
      throws Exception {
    answer(200, realAnswer());

    DstackVerification v = client("/dstack-verifier/").verify(QUOTE, EVENT_LOG, "{\"cpu\":2}");

    assertThat(lastPath).isEqualTo("POST /dstack-verifier/verify");
    assertThat(lastBody.get("quote").asText()).isEqualTo(QUOTE);
    assertThat(lastBody.get("event_log").isTextual()).isTrue();
    assertThat(JSON.readTree(lastBody.get("event_log").asText()))
        .isEqualTo(JSON.readTree(EVENT_LOG));
    assertThat(lastBody.get("vm_config").asText()).isEqualTo("{\"cpu\":2}");
    assertThat(v.valid()).isTrue();
    assertThat(v.quoteVerified()).isTrue();
    assertThat(v.eventLogVerified()).isTrue();
    assertThat(v.osImageHashVerified()).isTrue();
    assertThat(v.tcbStatus()).contains("UpToDate");
    assertThat(v.advisoryIds()).isEmpty();
    assertThat(v.reason()).isEmpty();
  }

  @Test
  void noVmConfig_isLeftOut_andABaseWithoutPath_postsToSlashVerify() {
    answer(200, realAnswer());

    client("").verify(QUOTE, EVENT_LOG, null);

    assertThat(lastPath).isEqualTo("POST /verify");
    assertThat(lastBody.has("vm_config")).isFalse();
  }

  @Test
  void aQuoteThatDoesNotVerify_isAnAnswer_notAnError_itsReasonOneBoundedLineWithoutQuoteContent() {
    answer(
        200,
        "{\"is_valid\":false,\"details\":{\"quote_verified\":false,\"event_log_verified\":false,"
            + "\"os_image_hash_verified\":false,\"tcb_status\":null,\"advisory_ids\":[]},"
            + "\"reason\":\"Quote verification failed: bad signature over "
            + QUOTE
            + "\\nforged line "
            + "x".repeat(400)
            + "\"}");

    DstackVerification v = client("").verify(QUOTE, EVENT_LOG, null);

    assertThat(v.valid()).isFalse();
    assertThat(v.quoteVerified()).isFalse();
    assertThat(v.tcbStatus()).isEmpty();
    assertThat(v.reason().get())
        .startsWith("Quote verification failed: bad signature over <hex> forged line")
        .doesNotContain(QUOTE.substring(0, 40))
        .doesNotContain("\n")
        .hasSizeLessThanOrEqualTo(VerifierText.MAX_CHARS + 10);
  }

  @Test
  void anOutOfDatePlatform_isReadWithItsAdvisories() {
    answer(
        200,
        realAnswer()
            .replace("\"UpToDate\"", "\"OutOfDate\"")
            .replace("\"advisory_ids\": []", "\"advisory_ids\": [\"INTEL-SA-00837\"]"));

    DstackVerification v = client("").verify(QUOTE, EVENT_LOG, null);

    assertThat(v.tcbStatus()).contains("OutOfDate");
    assertThat(v.advisoryIds()).containsExactly("INTEL-SA-00837");
  }

  static Stream<String> notTheApisAnswers() {
    String details =
        "\"details\":{\"quote_verified\":true,\"tcb_status\":\"UpToDate\",\"advisory_ids\":[]}";
    return Stream.of(
        CANARY + " not json",
        "[\"" + CANARY + "\"]",
        "{\"is_valid\":true,\"reason\":\"" + CANARY + "\"}",
        "{\"is_valid\":\"" + CANARY + "\"," + details + "}",
        "{\"is_valid\":true,\"details\":{\"quote_verified\":\"" + CANARY + "\"}}",
        "{\"is_valid\":true,\"details\":{\"quote_verified\":true,\"tcb_status\":\""
            + CANARY
            + "\"}}",
        "{\"is_valid\":true,\"details\":{\"quote_verified\":true,\"advisory_ids\":\""
            + CANARY
            + "\"}}",
        "{\"is_valid\":true,\"details\":{\"quote_verified\":true,\"advisory_ids\":[\""
            + CANARY
            + " <script>\"]}}",
        "{\"is_valid\":true," + details + ",\"reason\":{\"text\":\"" + CANARY + "\"}}");
  }

  @ParameterizedTest
  @MethodSource("notTheApisAnswers")
  void anAnswerNotOfTheApi_isAnError_thatEchoesNothing(String body) {
    answer(200, body);

    Throwable thrown = catchThrowable(() -> client("").verify(QUOTE, EVENT_LOG, null));

    assertThat(thrown).isInstanceOf(DstackVerifierException.class);
    assertThat(thrown.getMessage()).doesNotContain(CANARY).doesNotContain(QUOTE.substring(0, 40));
  }

  @Test
  void anOversizedAnswer_isAnError_notRead() {
    answer(200, "{\"reason\":\"" + "a".repeat(DstackVerifierClient.MAX_ANSWER_BYTES) + "\"}");

    Throwable thrown = catchThrowable(() -> client("").verify(QUOTE, EVENT_LOG, null));

    assertThat(thrown)
        .isInstanceOf(DstackVerifierException.class)
        .hasMessageContaining("longer than");
  }

  @Test
  void anHttpError_isAnError_namingTheStatus_notTheBody() {
    answer(503, "{\"error\":\"" + CANARY + "\"}");

    Throwable thrown = catchThrowable(() -> client("").verify(QUOTE, EVENT_LOG, null));

    assertThat(thrown)
        .isInstanceOf(DstackVerifierException.class)
        .hasMessage("the dstack verifier answered HTTP 503");
  }

  @Test
  void noAnswerWithinTheTimeout_isAnError() {
    answer(200, realAnswer());
    hold = new CountDownLatch(1);
    DstackVerifierClient impatient =
        new DstackVerifierClient(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
            Duration.ofMillis(300));

    Throwable thrown = catchThrowable(() -> impatient.verify(QUOTE, EVENT_LOG, null));

    assertThat(thrown)
        .isInstanceOf(DstackVerifierException.class)
        .hasMessageContaining("did not answer within");
  }

  @Test
  void aVerifierThatIsNotListening_isAnError() throws IOException {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    DstackVerifierClient nowhere =
        new DstackVerifierClient(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2));

    Throwable thrown = catchThrowable(() -> nowhere.verify(QUOTE, EVENT_LOG, null));

    assertThat(thrown)
        .isInstanceOf(DstackVerifierException.class)
        .hasMessageContaining("could not be reached")
        .hasMessageNotContaining(QUOTE.substring(0, 40));
  }

  /** The README's example answer (Dstack-TEE/dstack verifier/README.md), app_info cut short. */
  private static String realAnswer() {
    return String.join(
        "\n",
        List.of(
            "{",
            "  \"is_valid\": true,",
            "  \"details\": {",
            "    \"quote_verified\": true,",
            "    \"event_log_verified\": true,",
            "    \"os_image_hash_verified\": true,",
            "    \"acpi_tables_verified\": true,",
            "    \"os_image_is_dev\": false,",
            "    \"os_image_version\": \"0.5.10\",",
            "    \"tee_variant\": \"dstack-tdx\",",
            "    \"report_data\": \"1234" + "00".repeat(62) + "\",",
            "    \"tcb_status\": \"UpToDate\",",
            "    \"advisory_ids\": [],",
            "    \"key_provider\": {\"name\": \"kms\", \"id\": \"00\"},",
            "    \"app_info\": {\"app_id\": \"e631a04a5d068c0e5ffd8ca60d6574ac99a18bda\"}",
            "  },",
            "  \"reason\": null",
            "}"));
  }
}
