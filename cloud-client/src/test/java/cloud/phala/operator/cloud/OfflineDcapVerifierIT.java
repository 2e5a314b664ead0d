package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.cloud.attestation.Attestation;
import cloud.phala.operator.cloud.attestation.AttestationParser;
import cloud.phala.operator.cloud.attestation.Check;
import cloud.phala.operator.cloud.attestation.Evidence;
import cloud.phala.operator.cloud.attestation.EvidenceChecker;
import cloud.phala.operator.cloud.attestation.Expected;
import cloud.phala.operator.cloud.attestation.QuoteVerifier;
import cloud.phala.operator.cloud.attestation.Step;
import cloud.phala.operator.cloud.dstack.DstackEventLog;
import cloud.phala.operator.cloud.dstack.DstackVerification;
import cloud.phala.operator.cloud.dstack.DstackVerifierClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
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
  private static final String NEAR_COMPOSE_HASH =
      "2911e1f733466216dedb862d6d669e11256ee7a34ce4dbc66c4b807ba7a9c895";
  private static final String NEAR_APP_ID = "2911e1f733466216dedb862d6d669e11256ee7a3";

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
    DstackVerifierClient verifier = start(COLLATERAL_VALID_AT);

    DstackVerification answer = verifier.verify(nearQuote(), nearEventLog(), null);

    assertThat(answer.quoteVerified()).isTrue();
    assertThat(answer.tcbStatus()).contains("UpToDate");
    assertThat(answer.advisoryIds()).isEmpty();
    assertThat(answer.eventLogVerified()).isTrue();
    assertThat(answer.osImageHashVerified()).isFalse();
    assertThat(answer.valid()).isFalse();
    assertThat(answer.reason()).hasValueSatisfying(r -> assertThat(r).startsWith("OS image hash"));
  }

  @Test
  void theRealNearAttestation_passesEveryStepOfTheEvidenceLibrary_withTheQuoteVerifiedByDcap()
      throws Exception {
    DstackVerifierClient verifier = start(COLLATERAL_VALID_AT);
    String answer = nearFixtureText();
    Attestation attestation = AttestationParser.parse(answer).orElseThrow();
    QuoteVerifier byDcap =
        quote -> {
          DstackVerification verdict =
              verifier.verify(
                  DstackEventLog.quoteHex(attestation), DstackEventLog.of(attestation), null);
          return verdict.quoteVerified() ? "" : verdict.reason().orElse("not verified");
        };

    Evidence evidence =
        EvidenceChecker.verifyingQuotesWith(byDcap)
            .check(answer, Expected.of(NEAR_COMPOSE_HASH, NEAR_APP_ID));

    assertThat(evidence.noneFailed()).isTrue();
    assertThat(evidence.outcome(Step.QUOTE_VERIFIED)).isEqualTo(Check.Outcome.PASSED);
    assertThat(evidence.outcome(Step.RTMR3_REPLAYS)).isEqualTo(Check.Outcome.PASSED);
    assertThat(evidence.outcome(Step.COMPOSE_HASH_MATCHES)).isEqualTo(Check.Outcome.PASSED);
  }

  @Test
  void theRealNearQuote_withAFlippedBodyByte_failsQuoteVerification() throws Exception {
    DstackVerification answer =
        start(COLLATERAL_VALID_AT)
            .verify(flipByte(nearQuote(), HEADER + 136), nearEventLog(), null);

    assertThat(answer.quoteVerified()).isFalse();
    assertThat(answer.valid()).isFalse();
    assertThat(answer.reason())
        .hasValueSatisfying(r -> assertThat(r).startsWith("Quote verification failed"));
  }

  @Test
  void theRealNearQuote_withAFlippedSignatureByte_failsQuoteVerification() throws Exception {
    DstackVerification answer =
        start(COLLATERAL_VALID_AT)
            .verify(flipByte(nearQuote(), HEADER + BODY + 4 + 10), nearEventLog(), null);

    assertThat(answer.quoteVerified()).isFalse();
    assertThat(answer.reason())
        .hasValueSatisfying(r -> assertThat(r).startsWith("Quote verification failed"));
  }

  @Test
  void theRealNearQuote_afterItsCollateralExpired_failsQuoteVerification() throws Exception {
    DstackVerification answer =
        start(COLLATERAL_EXPIRED_AT).verify(nearQuote(), nearEventLog(), null);

    assertThat(answer.quoteVerified()).isFalse();
    assertThat(answer.reason())
        .hasValueSatisfying(r -> assertThat(r).startsWith("Quote verification failed"));
  }

  @Test
  void theRealNearQuote_withAForgedEventLog_verifiesTheQuoteButNotTheLog() throws Exception {
    DstackVerifierClient verifier = start(COLLATERAL_VALID_AT);
    JsonNode log = MAPPER.readTree(nearEventLog());
    for (JsonNode event : log) {
      if ("compose-hash".equals(event.path("event").asText())) {
        ((ObjectNode) event).put("event_payload", "00".repeat(32));
      }
    }

    DstackVerification answer = verifier.verify(nearQuote(), MAPPER.writeValueAsString(log), null);

    assertThat(answer.quoteVerified()).isTrue();
    assertThat(answer.eventLogVerified()).isFalse();
    assertThat(answer.reason())
        .hasValueSatisfying(r -> assertThat(r).startsWith("Event log verification failed"));
  }

  @Test
  void aSimulatorQuote_signedByItsTestRoot_failsQuoteVerification() throws Exception {
    DstackVerifierClient verifier = start(COLLATERAL_VALID_AT);
    JsonNode attestation = MAPPER.readTree(SIM.client().attestations().of(deployOnSimulator()));

    DstackVerification answer =
        verifier.verify(
            attestation.path("app_certificates").path(0).path("quote").asText(),
            MAPPER.writeValueAsString(attestation.path("tcb_info").path("event_log")),
            null);

    assertThat(answer.quoteVerified()).isFalse();
    assertThat(answer.reason())
        .hasValueSatisfying(r -> assertThat(r).startsWith("Quote verification failed"));
  }

  private DstackVerifierClient start(long now) throws IOException, URISyntaxException {
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
    return new DstackVerifierClient(
        URI.create("http://" + line.substring("listening on ".length())), Duration.ofSeconds(30));
  }

  private static String nearQuote() throws IOException {
    return nearFixture().path("app_certificates").path(0).path("quote").asText();
  }

  private static String nearEventLog() throws IOException {
    return MAPPER.writeValueAsString(nearFixture().path("tcb_info").path("event_log"));
  }

  private static JsonNode nearFixture() throws IOException {
    return MAPPER.readTree(nearFixtureText());
  }

  private static String nearFixtureText() throws IOException {
    try (var in =
        OfflineDcapVerifierIT.class.getResourceAsStream("/attestation/near-mpc-localnet.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String flipByte(String quoteHex, int offset) {
    byte[] quote = HexFormat.of().parseHex(quoteHex);
    quote[offset] ^= 0x01;
    return HexFormat.of().formatHex(quote);
  }

  private static String deployOnSimulator() {
    return SIM.deployServing("attested").vmUuid();
  }
}
