package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real NEAR MPC quote against tools/dstack-verifier, an offline test double of dstack-verifier:
 * dcap-qvl checks it against Intel's root with the collateral recorded beside it, at a time inside
 * that collateral's validity window. The binary comes from tools/dstack-verifier/build.sh (run by
 * this module's pre-integration-test phase); without it these tests fail.
 */
class OfflineDcapVerifierIT {
  @RegisterExtension static final SimulatorFixture SIM = new SimulatorFixture();

  /** 2026-08-13T12:00:00Z: inside the fixture collateral's TCB info and QE identity windows. */
  private static final long COLLATERAL_VALID_AT = 1786622400L;

  /** 2026-10-01T00:00:00Z: after the fixture's TCB info expired (2026-09-12T10:45:38Z). */
  private static final long COLLATERAL_EXPIRED_AT = 1790812800L;

  private static final int HEADER = 48;
  private static final int BODY = 584;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Process verifier;

  @AfterEach
  void stop() {
    if (verifier != null) {
      verifier.destroy();
    }
  }

  @Test
  void theRealNearQuote_verifiesAgainstIntelsRoot_withItsCollateral_andItsEventLogReplays()
      throws Exception {
    URI uri = start(COLLATERAL_VALID_AT);

    JsonNode answer = verify(uri, nearQuote(), nearEventLog());

    JsonNode details = answer.path("details");
    assertThat(details.path("quote_verified").asBoolean()).isTrue();
    assertThat(details.path("tcb_status").asText()).isEqualTo("UpToDate");
    assertThat(details.path("advisory_ids")).isEmpty();
    assertThat(details.path("tee_variant").asText()).isEqualTo("dstack-tdx");
    assertThat(details.path("report_data").asText())
        .isEqualTo(nearQuote().substring(2 * (HEADER + 520), 2 * (HEADER + 584)));
    assertThat(details.path("event_log_verified").asBoolean()).isTrue();
    assertThat(details.path("os_image_hash_verified").asBoolean()).isFalse();
    assertThat(answer.path("is_valid").asBoolean()).isFalse();
    assertThat(answer.path("reason").asText()).startsWith("OS image hash not verified");
  }

  @Test
  void theRealNearQuote_withAFlippedBodyByte_failsQuoteVerification() throws Exception {
    URI uri = start(COLLATERAL_VALID_AT);

    JsonNode answer = verify(uri, flipByte(nearQuote(), HEADER + 136), nearEventLog());

    assertThat(answer.path("details").path("quote_verified").asBoolean()).isFalse();
    assertThat(answer.path("is_valid").asBoolean()).isFalse();
    assertThat(answer.path("reason").asText()).startsWith("Quote verification failed");
  }

  @Test
  void theRealNearQuote_withAFlippedSignatureByte_failsQuoteVerification() throws Exception {
    URI uri = start(COLLATERAL_VALID_AT);

    JsonNode answer = verify(uri, flipByte(nearQuote(), HEADER + BODY + 4 + 10), nearEventLog());

    assertThat(answer.path("details").path("quote_verified").asBoolean()).isFalse();
    assertThat(answer.path("reason").asText()).startsWith("Quote verification failed");
  }

  @Test
  void theRealNearQuote_afterItsCollateralExpired_failsQuoteVerification() throws Exception {
    URI uri = start(COLLATERAL_EXPIRED_AT);

    JsonNode answer = verify(uri, nearQuote(), nearEventLog());

    assertThat(answer.path("details").path("quote_verified").asBoolean()).isFalse();
    assertThat(answer.path("reason").asText()).startsWith("Quote verification failed");
  }

  @Test
  void theRealNearQuote_withAForgedEventLog_verifiesTheQuoteButNotTheLog() throws Exception {
    URI uri = start(COLLATERAL_VALID_AT);
    JsonNode log = MAPPER.readTree(nearEventLog());
    for (JsonNode event : log) {
      if ("compose-hash".equals(event.path("event").asText())) {
        ((ObjectNode) event).put("event_payload", "00".repeat(32));
      }
    }

    JsonNode answer = verify(uri, nearQuote(), MAPPER.writeValueAsString(log));

    assertThat(answer.path("details").path("quote_verified").asBoolean()).isTrue();
    assertThat(answer.path("details").path("event_log_verified").asBoolean()).isFalse();
    assertThat(answer.path("reason").asText()).startsWith("Event log verification failed");
  }

  @Test
  void aSimulatorQuote_signedByItsTestRoot_failsQuoteVerification() throws Exception {
    URI uri = start(COLLATERAL_VALID_AT);
    JsonNode attestation = MAPPER.readTree(SIM.client().attestations().of(deployOnSimulator()));

    JsonNode answer =
        verify(
            uri,
            attestation.path("app_certificates").path(0).path("quote").asText(),
            MAPPER.writeValueAsString(attestation.path("tcb_info").path("event_log")));

    assertThat(answer.path("details").path("quote_verified").asBoolean()).isFalse();
    assertThat(answer.path("reason").asText()).startsWith("Quote verification failed");
  }

  /**
   * POST /verify in dstack-verifier's request shape (quote hex, event_log as dstack's GetQuote
   * returns it: a JSON string), answering its response JSON.
   */
  private static JsonNode verify(URI verifier, String quoteHex, String eventLog)
      throws IOException, InterruptedException {
    String body =
        MAPPER.writeValueAsString(
            MAPPER
                .createObjectNode()
                .put("quote", quoteHex)
                .put("event_log", eventLog)
                .put("vm_config", "{}"));
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(verifier.resolve("/verify"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return MAPPER.readTree(response.body());
  }

  private URI start(long now) throws IOException, URISyntaxException {
    String property = System.getProperty("phala.dstackVerifier.binary");
    assertThat(property)
        .as("system property phala.dstackVerifier.binary (set by cloud-client's failsafe config)")
        .isNotNull();
    Path binary = Path.of(property);
    assertThat(Files.isExecutable(binary))
        .as("%s is missing: run tools/dstack-verifier/build.sh %s", binary, binary)
        .isTrue();
    Path collateral =
        Path.of(getClass().getResource("/attestation/near-mpc-localnet-collateral.json").toURI());
    verifier =
        new ProcessBuilder(
                List.of(
                    binary.toString(),
                    "--collateral",
                    collateral.toString(),
                    "--now",
                    Long.toString(now),
                    "--port",
                    "0"))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String line =
        new BufferedReader(new InputStreamReader(verifier.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    assertThat(line).as("the verifier's first line").startsWith("listening on ");
    return URI.create("http://" + line.substring("listening on ".length()));
  }

  private static String nearQuote() throws IOException {
    return nearFixture().path("app_certificates").path(0).path("quote").asText();
  }

  private static String nearEventLog() throws IOException {
    return MAPPER.writeValueAsString(nearFixture().path("tcb_info").path("event_log"));
  }

  private static JsonNode nearFixture() throws IOException {
    try (var in =
        OfflineDcapVerifierIT.class.getResourceAsStream("/attestation/near-mpc-localnet.json")) {
      return MAPPER.readTree(in);
    }
  }

  private static String flipByte(String quoteHex, int offset) {
    byte[] quote = HexFormat.of().parseHex(quoteHex);
    quote[offset] ^= 0x01;
    return HexFormat.of().formatHex(quote);
  }

  private static String deployOnSimulator() {
    PhalaCloudClient client = SIM.client();
    EnvSet env = EnvSet.builder().put("API_KEY", "x").build();
    Provisioned p =
        client.provision(
            new ProvisionRequest(
                "attested",
                "services:\n  app:\n    image: nginx\n",
                null,
                env.keys(),
                "tdx.small",
                40,
                null));
    Cvm created =
        client.commit(
            p.appId(),
            p.composeHash(),
            EnvSealer.seal(EnvPublicKey.fromHex(p.envPublicKey()), env),
            env.keys());
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.getCvm(created.vmUuid()), Cvm::isServing)
        .vmUuid();
  }
}
