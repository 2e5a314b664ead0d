package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import cloud.phala.operator.crypto.EnvPrivateKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.crypto.SealedEnv;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Answers Phala Cloud should never send (not JSON, cut off, the wrong JSON type), and each error
 * envelope it does send, from a stub server: every one becomes a {@link PhalaApiException} (or, for
 * no complete answer, a {@link PhalaTransportException}) that names the operation and what was
 * wrong, sent once, never echoing the body or the API key.
 */
class BadAnswerTest {
  private static final String CANARY = "canary-5b1f-answer";
  private static final String API_KEY = "phak_canary_key_0c9e";
  private static final AtomicInteger requests = new AtomicInteger();
  private static volatile int status;
  private static volatile byte[] body;
  private static volatile int cutAfter;
  private static HttpServer server;
  private static PhalaCloudClient client;

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          byte[] answer = body;
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
          if (answer.length > 0) {
            OutputStream out = exchange.getResponseBody();
            out.write(answer, 0, cutAfter < 0 ? answer.length : cutAfter);
            out.flush();
          }
          if (cutAfter >= 0) {
            // close the connection under the client, mid-body
            exchange.getResponseBody().close();
          }
          exchange.close();
        });
    server.start();
    client =
        new PhalaCloudClient(
            PhalaCloudConfig.of(
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1", API_KEY)
                .withRetryPolicy(
                    new RetryPolicy(3, java.time.Duration.ZERO, java.time.Duration.ZERO)),
            ApiCallObserver.NONE,
            d -> {});
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  @BeforeEach
  void reset() {
    requests.set(0);
    cutAfter = -1;
  }

  private static void answer(int httpStatus, String json) {
    status = httpStatus;
    body = json.getBytes(StandardCharsets.UTF_8);
  }

  private static SealedEnv sealed() {
    return EnvSealer.seal(
        EnvPrivateKey.generate(new SecureRandom()).publicKey(),
        EnvSet.builder().put("TOKEN", CANARY).build());
  }

  static Stream<Arguments> answersThatAreNotWhatTheCallExpects() {
    Consumer<PhalaCloudClient> getCvm = c -> c.getCvm("vm-1");
    Consumer<PhalaCloudClient> appCvms = c -> c.appCvms("ab".repeat(20));
    Consumer<PhalaCloudClient> updateEnvs = c -> c.updateEnvs("vm-1", sealed(), List.of("TOKEN"));
    Consumer<PhalaCloudClient> provision =
        c ->
            c.provision(
                new ProvisionRequest(
                    "app", "services: {}\n", null, List.of("TOKEN"), "tdx.small", 40, null));
    Consumer<PhalaCloudClient> revision = c -> c.appRevision("ab".repeat(20), "rev-1");
    String revisionFields =
        "\"revision_id\":\"rev-1\",\"app_id\":\""
            + "ab".repeat(20)
            + "\",\"vm_uuid\":\"vm-1\",\"compose_hash\":\""
            + "cd".repeat(32)
            + "\"";
    String truncated = "{\"vm_uuid\":\"" + CANARY + "\",\"status\":\"runn";
    String html = "<html><body>" + CANARY + "</body></html>";
    String malformed = "{\"vm_uuid\": \"" + CANARY + "\",}";
    return Stream.of(
        Arguments.of(
            "malformed JSON",
            getCvm,
            malformed,
            "GET /cvms/{cvm_id} failed with HTTP 200: answer is not JSON ("
                + malformed.length()
                + " bytes)"),
        Arguments.of(
            "truncated JSON",
            getCvm,
            truncated,
            "GET /cvms/{cvm_id} failed with HTTP 200: answer is not JSON (" + truncated.length()),
        Arguments.of("an HTML page", getCvm, html, "answer is not JSON (" + html.length()),
        Arguments.of("an empty body", getCvm, "", "answer is empty, expected an object"),
        Arguments.of(
            "a string where an object belongs",
            getCvm,
            "\"" + CANARY + "\"",
            "GET /cvms/{cvm_id} failed with HTTP 200: answer is a JSON string, expected an object"),
        Arguments.of(
            "an array where an object belongs",
            getCvm,
            "[{\"vm_uuid\":\"" + CANARY + "\"}]",
            "answer is a JSON array, expected an object"),
        Arguments.of("JSON null", getCvm, "null", "answer is a JSON null, expected an object"),
        Arguments.of(
            "an object where an array belongs",
            appCvms,
            "{\"items\":[]}",
            "GET /apps/{app_id}/cvms failed with HTTP 200: answer is a JSON object, expected an"
                + " array"),
        Arguments.of(
            "a string answering an env update",
            updateEnvs,
            "\"accepted\"",
            "PATCH /cvms/{cvm_id}/envs failed with HTTP 200: answer is a JSON string"),
        Arguments.of(
            "a provision answer without app_id",
            provision,
            "{\"compose_hash\":\"" + "ab".repeat(32) + "\"}",
            "POST /cvms/provision failed with HTTP 200: answer has no app_id string"),
        Arguments.of(
            "a provision answer with a number for app_id",
            provision,
            "{\"app_id\":42,\"compose_hash\":\"" + "ab".repeat(32) + "\"}",
            "answer has no app_id string"),
        Arguments.of(
            "a revision without its compose hash",
            revision,
            "{\"revision_id\":\"rev-1\",\"app_id\":\"" + CANARY + "\",\"vm_uuid\":\"vm-1\"}",
            "GET /apps/{app_id}/revisions/{revision_id} failed with HTTP 200: answer has no"
                + " compose_hash string"),
        Arguments.of(
            "a revision whose compose is not the app compose object",
            revision,
            "{" + revisionFields + ",\"compose_file\":\"" + CANARY + "\",\"encrypted_env\":\"\"}",
            "answer has no compose_file object"),
        Arguments.of(
            "a revision whose encrypted_env is no sealed env",
            revision,
            "{"
                + revisionFields
                + ",\"compose_file\":{\"docker_compose_file\":\"services: {}\"},"
                + "\"encrypted_env\":\"zz"
                + CANARY
                + "\"}",
            "answer's encrypted_env is not a sealed env"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answersThatAreNotWhatTheCallExpects")
  void anAnswerOfTheWrongShape_isRefusedByItsShape_neverEchoed(
      String label, Consumer<PhalaCloudClient> call, String json, String expected) {
    answer(200, json);

    Throwable thrown = catchThrowable(() -> call.accept(client));

    assertThat(thrown).isInstanceOf(PhalaApiException.class).hasMessageContaining(expected);
    assertThat(thrown.getMessage()).doesNotContain(CANARY).doesNotContain(API_KEY);
    assertThat(requests).as("a bad answer is not a reason to resend").hasValue(1);
  }

  static Stream<Arguments> errorEnvelopes() {
    return Stream.of(
        Arguments.of(
            "envelope at the top level",
            404,
            "{\"error_code\":\"ERR-03-001\",\"message\":\"CVM not found\",\"details\":[{\"field\":"
                + "\"cvm_id\",\"value\":\""
                + CANARY
                + "\"}],\"suggestions\":[\"list your CVMs\"],\"links\":[]}",
            "ERR-03-001",
            "GET /cvms/{cvm_id} failed with HTTP 404 ERR-03-001: CVM not found"),
        Arguments.of(
            "envelope under detail",
            465,
            "{\"detail\":{\"error_code\":\"ERR-01-005\",\"message\":\"Compose hash must be"
                + " registered on-chain\",\"details\":[{\"field\":\"compose_hash\",\"value\":\""
                + CANARY
                + "\"}]}}",
            "ERR-01-005",
            "GET /cvms/{cvm_id} failed with HTTP 465 ERR-01-005: Compose hash must be registered"
                + " on-chain"),
        Arguments.of(
            "envelope at the top level and under detail",
            409,
            "{\"error_code\":\"ERR-01-004\",\"message\":\"duplicate name\",\"detail\":"
                + "{\"error_code\":\"ERR-01-004\",\"message\":\"duplicate name\"}}",
            "ERR-01-004",
            "failed with HTTP 409 ERR-01-004: duplicate name"),
        Arguments.of(
            "a plain detail string",
            400,
            "{\"detail\":\"Invalid CVM id\"}",
            null,
            "GET /cvms/{cvm_id} failed with HTTP 400: Invalid CVM id"),
        Arguments.of(
            "a FastAPI validation list echoing the input",
            422,
            "{\"detail\":[{\"loc\":[\"path\",\"cvm_id\"],\"msg\":\"String too long\",\"type\":"
                + "\"string_too_long\",\"input\":\""
                + CANARY
                + "\"}]}",
            null,
            "failed with HTTP 422: validation failed: path.cvm_id: String too long"),
        Arguments.of(
            "an HTML error page",
            403,
            "<html>" + CANARY + "</html>",
            null,
            "failed with HTTP 403: no JSON error body (" + (13 + CANARY.length()) + " bytes)"),
        Arguments.of(
            "an empty body", 401, "", null, "failed with HTTP 401: no JSON error body (0 bytes)"),
        Arguments.of(
            "truncated JSON",
            400,
            "{\"detail\":\"" + CANARY,
            null,
            "failed with HTTP 400: no JSON error body"),
        Arguments.of(
            "JSON in no known shape",
            400,
            "{\"error\":\"" + CANARY + "\"}",
            null,
            "failed with HTTP 400: unrecognised error body"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorEnvelopes")
  void aClientError_inEachEnvelopeShape_carriesStatusCodeAndMessage_sentOnce(
      String label, int httpStatus, String json, String errorCode, String expected) {
    answer(httpStatus, json);

    Throwable thrown = catchThrowable(() -> client.getCvm("vm-1"));

    assertThat(thrown)
        .isInstanceOfSatisfying(
            PhalaApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(httpStatus);
              assertThat(e.errorCode()).isEqualTo(java.util.Optional.ofNullable(errorCode));
              assertThat(e.isRetryable()).isFalse();
            })
        .hasMessageContaining(expected);
    assertThat(thrown.getMessage()).doesNotContain(CANARY).doesNotContain(API_KEY);
    assertThat(requests).hasValue(1);
  }

  @Test
  void anAnswerCutOffOnTheWire_toAnEnvUpdate_isNotResent_andMayHaveBeenApplied() {
    answer(202, "{\"correlation_id\":\"" + CANARY + "\",\"allowed_envs_changed\":false}");
    cutAfter = 10;

    assertThatThrownBy(() -> client.updateEnvs("vm-1", sealed(), List.of("TOKEN")))
        .isInstanceOfSatisfying(
            PhalaTransportException.class, e -> assertThat(e.mayHaveBeenApplied()).isTrue())
        .hasMessageStartingWith("PATCH /cvms/{cvm_id}/envs got no answer from Phala Cloud")
        .message()
        .doesNotContain(CANARY);
    assertThat(requests).hasValue(1);
  }
}
