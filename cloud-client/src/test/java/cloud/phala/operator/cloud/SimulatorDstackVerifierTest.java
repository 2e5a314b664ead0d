package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import cloud.phala.operator.cloud.attestation.Attestation;
import cloud.phala.operator.cloud.attestation.AttestationParser;
import cloud.phala.operator.cloud.dstack.DstackEventLog;
import cloud.phala.operator.cloud.dstack.DstackVerification;
import cloud.phala.operator.cloud.dstack.DstackVerifierClient;
import cloud.phala.operator.cloud.dstack.DstackVerifierException;
import cloud.phala.operator.simulator.hooks.FaultRule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The simulator's dstack verifier stand-in ({@code /dstack-verifier}, no API key), through {@link
 * DstackVerifierClient}: it verifies the simulator's own test-root quotes, refuses a damaged one,
 * reports the TCB status the {@code tcb_*} faults give the CVM, and like a real verifier given no
 * vm_config answers is_valid false after a verified quote.
 */
class SimulatorDstackVerifierTest {
  @RegisterExtension static final SimulatorFixture SIM = new SimulatorFixture();

  private final PhalaCloudClient client = SIM.client();
  private DstackVerifierClient verifier;
  private Cvm cvm;

  @BeforeEach
  void deploy() {
    verifier =
        new DstackVerifierClient(
            URI.create(SIM.simulator().dstackVerifierUrl()), Duration.ofSeconds(5));
    cvm = SIM.deployServing("dstack-verified");
  }

  private DstackVerification verify() {
    Attestation attestation =
        AttestationParser.parse(client.attestations().of(cvm.vmUuid())).orElseThrow();
    return verifier.verify(
        DstackEventLog.quoteHex(attestation), DstackEventLog.of(attestation), null);
  }

  private static void fault(FaultRule.Kind kind, Pattern path, int status) {
    SIM.simulator()
        .faults()
        .add(new FaultRule(null, kind, null, path, null, 1.0, null, status, Duration.ZERO));
  }

  @Test
  void theStandIn_verifiesTheSimulatorsQuote_withoutAnApiKey_andReportsItsTcbStatus() {
    DstackVerification v = verify();

    assertThat(v.quoteVerified()).isTrue();
    assertThat(v.tcbStatus()).contains("UpToDate");
    assertThat(v.advisoryIds()).isEmpty();
    assertThat(v.valid()).as("OS images are not verified, as with no vm_config").isFalse();
    assertThat(v.osImageHashVerified()).isFalse();
    assertThat(v.reason().get()).startsWith("OS image hash verification failed");
  }

  @Test
  void theBadQuoteFault_makesTheStandInRefuseTheQuote() {
    fault(FaultRule.Kind.ATTESTATION_BAD_QUOTE, null, 0);

    DstackVerification v = verify();

    assertThat(v.quoteVerified()).isFalse();
    assertThat(v.tcbStatus()).isEmpty();
    assertThat(v.reason().get()).startsWith("Quote verification failed");
  }

  @Test
  void aTcbFault_setsTheTcbStatusTheStandInReportsForThatCvm() {
    fault(FaultRule.Kind.TCB_OUT_OF_DATE, null, 0);

    assertThat(verify().tcbStatus()).contains("OutOfDate");
  }

  @Test
  void anHttpFaultOnItsPath_isAnErrorOfTheClient() {
    Attestation attestation =
        AttestationParser.parse(client.attestations().of(cvm.vmUuid())).orElseThrow();
    fault(FaultRule.Kind.ERROR, Pattern.compile("/dstack-verifier/verify"), 503);

    Throwable thrown =
        catchThrowable(
            () ->
                verifier.verify(
                    DstackEventLog.quoteHex(attestation), DstackEventLog.of(attestation), null));

    assertThat(thrown)
        .isInstanceOf(DstackVerifierException.class)
        .hasMessage("the dstack verifier answered HTTP 503");
  }

  @Test
  void aRequestThatIsNotTheApis_is422_andNoQuoteIsAnAnswerSayingSo() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI verify = URI.create(SIM.simulator().dstackVerifierUrl() + "/verify");

    HttpResponse<String> notHex =
        http.send(
            HttpRequest.newBuilder(verify)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString("{\"quote\":\"zz\",\"event_log\":\"[]\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> noQuote =
        http.send(
            HttpRequest.newBuilder(verify)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(notHex.statusCode()).isEqualTo(422);
    assertThat(noQuote.statusCode()).isEqualTo(200);
    assertThat(noQuote.body()).contains("\"is_valid\":false", "Quote is required");
  }
}
