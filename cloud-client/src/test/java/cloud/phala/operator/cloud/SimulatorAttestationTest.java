package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloud.phala.operator.cloud.attestation.Check;
import cloud.phala.operator.cloud.attestation.Check.Outcome;
import cloud.phala.operator.cloud.attestation.Evidence;
import cloud.phala.operator.cloud.attestation.EvidenceChecker;
import cloud.phala.operator.cloud.attestation.Expected;
import cloud.phala.operator.cloud.attestation.Step;
import cloud.phala.operator.simulator.attest.Attestations;
import cloud.phala.operator.simulator.hooks.FaultRule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The evidence library against the simulator's attestations and each of its forgeries. */
class SimulatorAttestationTest {
  @RegisterExtension static final SimulatorFixture SIM = new SimulatorFixture();

  private final PhalaCloudClient client = SIM.client();
  private final EvidenceChecker checker =
      EvidenceChecker.verifyingQuotesWith(
          new TestRootQuoteVerifier(SIM.simulator().attestationRoot().publicKey()));
  private Cvm cvm;

  @BeforeEach
  void deploy() {
    cvm = SIM.deployServing("attested");
  }

  private Expected deployed() {
    return Expected.of(cvm.composeHash(), cvm.appId())
        .withInstance(cvm.instanceId())
        .withKmsIdentity(SIM.simulator().world().kms().caIdentity());
  }

  @Test
  void theInstanceIdPhalaCloudLists_isTheOneItsEvidenceCarries() {
    String listed = client.appCvms(cvm.appId()).get(0).instanceId();

    assertThat(listed)
        .isEqualTo(cvm.instanceId())
        .isEqualTo(Attestations.instanceIdOf(SIM.simulator().world().get(cvm.vmUuid())));
    assertThat(checker.check(attestation(), deployed()).instanceId()).contains(listed);
  }

  @Test
  void theOtherInstanceFault_servesAnotherInstancesEvidence_failingOnlyTheInstanceCheck() {
    fault(FaultRule.Kind.ATTESTATION_OTHER_INSTANCE);

    Evidence evidence = checker.check(attestation(), deployed());

    assertThat(failedSteps(evidence)).containsExactly(Step.INSTANCE_MATCHES);
    assertThat(evidence.instanceId().orElseThrow()).isNotEqualTo(cvm.instanceId());
  }

  @Test
  void theOtherKmsFault_failsOnlyTheKmsPin_andUnpinnedItIsNotChecked() {
    fault(FaultRule.Kind.ATTESTATION_OTHER_KMS);
    assertThat(failedSteps(checker.check(attestation(), deployed())))
        .containsExactly(Step.KMS_PINNED);

    fault(FaultRule.Kind.ATTESTATION_OTHER_KMS);
    Evidence unpinned =
        checker.check(
            attestation(),
            Expected.of(cvm.composeHash(), cvm.appId()).withInstance(cvm.instanceId()));
    assertThat(unpinned.failures()).isEmpty();
    assertThat(unpinned.outcome(Step.KMS_PINNED)).isEqualTo(Outcome.NOT_CHECKED);
  }

  @Test
  void aCvmsAttestation_passesEveryCheckAgainstWhatItBooted() {
    Evidence evidence = checker.check(attestation(), deployed());

    assertThat(evidence.failures()).isEmpty();
    assertThat(evidence.checks().values()).allMatch(c -> c.outcome() == Outcome.PASSED);
  }

  @Test
  void aStaleInstanceId_failsTheInstanceCheck() {
    Expected stale = Expected.of(cvm.composeHash(), cvm.appId()).withInstance("00".repeat(20));

    assertThat(failedSteps(checker.check(attestation(), stale)))
        .containsExactly(Step.INSTANCE_MATCHES);
  }

  @Test
  void theWrongComposeHashFault_failsOnlyTheComposeHashCheck() {
    fault(FaultRule.Kind.ATTESTATION_WRONG_COMPOSE_HASH);

    assertThat(failedSteps(checker.check(attestation(), deployed())))
        .containsExactly(Step.COMPOSE_HASH_MATCHES);
  }

  @Test
  void theRtmr3MismatchFault_failsOnlyTheReplay() {
    fault(FaultRule.Kind.ATTESTATION_RTMR3_MISMATCH);

    assertThat(failedSteps(checker.check(attestation(), deployed())))
        .containsExactly(Step.RTMR3_REPLAYS);
  }

  @Test
  void theBadQuoteFault_failsOnlyQuoteVerification() {
    fault(FaultRule.Kind.ATTESTATION_BAD_QUOTE);

    assertThat(failedSteps(checker.check(attestation(), deployed())))
        .containsExactly(Step.QUOTE_VERIFIED);
  }

  @Test
  void theUnavailableFault_makesTheEvidenceUnavailable() {
    fault(FaultRule.Kind.ATTESTATION_UNAVAILABLE);

    Evidence evidence = checker.check(attestation(), deployed());

    assertThat(evidence.unavailable()).isPresent();
    assertThat(evidence.noneFailed()).isFalse();
  }

  @Test
  void aQuoteFromAnotherRoot_failsQuoteVerification() {
    EvidenceChecker otherRoot =
        EvidenceChecker.verifyingQuotesWith(
            new TestRootQuoteVerifier(
                new cloud.phala.operator.simulator.attest.TestRoot().publicKey()));

    assertThat(failedSteps(otherRoot.check(attestation(), deployed())))
        .containsExactly(Step.QUOTE_VERIFIED);
  }

  @Test
  void phalaCloudsVerifyEndpoint_acceptsOnlyTheTestRootsQuotes() throws Exception {
    String quote =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(client.attestations().of(cvm.vmUuid()))
            .path("app_certificates")
            .path(0)
            .path("quote")
            .asText();
    String damaged =
        quote.substring(0, 2 * 636)
            + (quote.charAt(2 * 636) == '0' ? '1' : '0')
            + quote.substring(2 * 636 + 1);

    assertThat(client.attestations().whyQuoteNotVerified(quote)).isEmpty();
    assertThat(client.attestations().whyQuoteNotVerified("0x" + quote)).isEmpty();
    assertThat(client.attestations().whyQuoteNotVerified(damaged)).isNotEmpty();
    assertThat(client.attestations().whyQuoteNotVerified("not hex")).contains("refused");
  }

  @Test
  void theAppsAttestations_giveEachCvmsEvidence_inOneCall_passingEveryCheck() {
    java.util.Map<String, String> answers = client.attestations().ofApp(cvm.appId());

    assertThat(answers).containsOnlyKeys(cvm.vmUuid());
    Evidence evidence = checker.check(answers.get(cvm.vmUuid()), deployed());
    assertThat(evidence.failures()).isEmpty();

    fault(FaultRule.Kind.ATTESTATION_WRONG_COMPOSE_HASH);
    Evidence forged =
        checker.check(client.attestations().ofApp(cvm.appId()).get(cvm.vmUuid()), deployed());
    assertThat(failedSteps(forged)).containsExactly(Step.COMPOSE_HASH_MATCHES);
  }

  @Test
  void theTcbEvaluation_reportsEachRunningCvm_UpToDate_untilATcbFaultSetsItsStatus() {
    assertThat(client.attestations().tcbEvaluation(cvm.appId()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.vmUuid()).isEqualTo(cvm.vmUuid());
              assertThat(e.status()).isEqualTo("UpToDate");
              assertThat(e.ok()).isTrue();
            });

    SIM.simulator()
        .faults()
        .add(
            new FaultRule(
                null,
                FaultRule.Kind.TCB_OUT_OF_DATE,
                null,
                null,
                null,
                1.0,
                null,
                0,
                Duration.ZERO));

    for (int read = 0; read < 2; read++) {
      assertThat(client.attestations().tcbEvaluation(cvm.appId()))
          .extracting(TcbEvaluation::status)
          .containsExactly("OutOfDate");
    }
    assertThatThrownBy(() -> client.attestations().tcbEvaluation("00" + "ab".repeat(19)))
        .isInstanceOfSatisfying(
            PhalaApiException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  private static java.util.List<Step> failedSteps(Evidence evidence) {
    return evidence.failures().stream().map(Check::step).toList();
  }

  private void fault(FaultRule.Kind kind) {
    SIM.simulator()
        .faults()
        .add(new FaultRule(null, kind, null, null, null, 1.0, 1, 0, Duration.ZERO));
  }

  private String attestation() {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(SIM.simulator().baseUrl() + "/cvms/" + cvm.vmUuid() + "/attestation"))
              .header("X-API-Key", SIM.simulator().apiKey())
              .build();
      String body =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
      return body;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
