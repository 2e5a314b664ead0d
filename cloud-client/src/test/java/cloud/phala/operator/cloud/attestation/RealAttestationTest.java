package cloud.phala.operator.cloud.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.cloud.attestation.Check.Outcome;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class RealAttestationTest {
  private final EvidenceChecker checker = EvidenceChecker.withoutQuoteVerification();
  private final Expected deployed = Expected.of(Fixtures.NEAR_COMPOSE_HASH, Fixtures.NEAR_APP_ID);

  @Test
  void aRealDstackAttestation_replaysItsRtmr3IntoItsQuote_andMatchesWhatWasDeployed() {
    Evidence evidence = checker.check(Fixtures.text(Fixtures.NEAR), deployed);

    assertThat(evidence.failures()).isEmpty();
    assertThat(evidence.outcome(Step.RTMR3_REPLAYS)).isEqualTo(Outcome.PASSED);
    assertThat(evidence.outcome(Step.COMPOSE_HASH_MATCHES)).isEqualTo(Outcome.PASSED);
    assertThat(evidence.outcome(Step.APP_ID_MATCHES)).isEqualTo(Outcome.PASSED);
    assertThat(evidence.outcome(Step.APP_COMPOSE_MATCHES)).isEqualTo(Outcome.PASSED);
    assertThat(evidence.outcome(Step.QUOTE_VERIFIED)).isEqualTo(Outcome.NOT_CHECKED);
    assertThat(evidence.outcome(Step.KMS_PINNED)).isEqualTo(Outcome.NOT_CHECKED);
    assertThat(evidence.instanceId()).contains("");
  }

  /** The fixture's key-provider event: {"name":"local-sgx","id":"6b5ed02e…"}. */
  static final String NEAR_KEY_PROVIDER_ID =
      "6b5ed02e549a1c30aaa8e3171a045f1f449b0017353ef595e78e39c348c98d01";

  @Test
  void itsKeyProviderId_pinned_passesTheKmsPin_hexCaseAndPrefixAside() {
    Evidence evidence =
        checker.check(
            Fixtures.text(Fixtures.NEAR),
            deployed.withKmsIdentity("0x" + NEAR_KEY_PROVIDER_ID.toUpperCase(Locale.ROOT)));

    assertThat(evidence.failures()).isEmpty();
    assertThat(evidence.outcome(Step.KMS_PINNED)).isEqualTo(Outcome.PASSED);
  }

  @Test
  void anotherPinnedKmsIdentity_failsOnlyTheKmsPin() {
    Evidence evidence =
        checker.check(Fixtures.text(Fixtures.NEAR), deployed.withKmsIdentity("ab".repeat(32)));

    assertThat(evidence.failures()).extracting(Check::step).containsExactly(Step.KMS_PINNED);
    assertThat(evidence.failures().get(0).reason())
        .isEqualTo("the key-provider event's id is not the pinned KMS identity")
        .doesNotContain(NEAR_KEY_PROVIDER_ID);
  }

  @Test
  void theQuoteBodyMeasurements_areTheOnesTcbInfoReports() {
    ObjectNode tcb = (ObjectNode) Fixtures.tree(Fixtures.NEAR).get("tcb_info");
    TdReport report = AttestationParser.parse(Fixtures.text(Fixtures.NEAR)).orElseThrow().report();

    assertThat(hex(report.mrtd())).isEqualTo(tcb.get("mrtd").asText());
    for (int i = 0; i < 4; i++) {
      assertThat(hex(report.rtmr(i))).isEqualTo(tcb.get("rtmr" + i).asText());
    }
  }

  @Test
  void anotherDeployedComposeHash_failsOnlyTheComposeHashCheck() {
    Evidence evidence =
        checker.check(
            Fixtures.text(Fixtures.NEAR), Expected.of("ab".repeat(32), Fixtures.NEAR_APP_ID));

    assertThat(evidence.failures())
        .extracting(Check::step)
        .containsExactly(Step.COMPOSE_HASH_MATCHES);
  }

  @Test
  void anotherAppId_failsOnlyTheAppIdCheck() {
    Evidence evidence =
        checker.check(
            Fixtures.text(Fixtures.NEAR), Expected.of(Fixtures.NEAR_COMPOSE_HASH, "cd".repeat(20)));

    assertThat(evidence.failures()).extracting(Check::step).containsExactly(Step.APP_ID_MATCHES);
  }

  @Test
  void aForgedComposeHashEventWithItsDigestRecomputed_doesNotReplayIntoTheQuote() {
    ObjectNode answer = Fixtures.tree(Fixtures.NEAR);
    ObjectNode event = event(answer, "compose-hash");
    byte[] forged = HexFormat.of().parseHex("ab".repeat(32));
    event.put("event_payload", hex(forged));
    event.put("digest", hex(RuntimeEvent.runtime("compose-hash", forged).digest()));
    Expected forgedDeployment = Expected.of("ab".repeat(32), Fixtures.NEAR_APP_ID);

    Evidence evidence = checker.check(answer.toString(), forgedDeployment);

    assertThat(evidence.outcome(Step.COMPOSE_HASH_MATCHES)).isEqualTo(Outcome.PASSED);
    assertThat(evidence.outcome(Step.RTMR3_REPLAYS)).isEqualTo(Outcome.FAILED);
    assertThat(evidence.checks().get(Step.RTMR3_REPLAYS).reason()).contains("quote's RTMR3");
  }

  @Test
  void aForgedPayloadUnderTheOriginalDigest_failsTheDigestCheck() {
    ObjectNode answer = Fixtures.tree(Fixtures.NEAR);
    event(answer, "compose-hash").put("event_payload", "ab".repeat(32));

    Evidence evidence =
        checker.check(answer.toString(), Expected.of("ab".repeat(32), Fixtures.NEAR_APP_ID));

    assertThat(evidence.checks().get(Step.RTMR3_REPLAYS).reason())
        .contains("digest that does not match its content");
  }

  @Test
  void theTcbInfoRtmr3Field_isNotWhatTheReplayIsComparedWith() {
    ObjectNode answer = Fixtures.tree(Fixtures.NEAR);
    ((ObjectNode) answer.get("tcb_info")).put("rtmr3", "00".repeat(48));

    assertThat(checker.check(answer.toString(), deployed).outcome(Step.RTMR3_REPLAYS))
        .isEqualTo(Outcome.PASSED);
  }

  @Test
  void aQuoteVerifierThatRefuses_failsOnlyTheQuoteCheck() {
    Evidence evidence =
        EvidenceChecker.verifyingQuotesWith(quote -> "not signed by a trusted root")
            .check(Fixtures.text(Fixtures.NEAR), deployed);

    assertThat(evidence.failures()).extracting(Check::step).containsExactly(Step.QUOTE_VERIFIED);
  }

  @Test
  void anOfflineCvmOrAnAnswerWithAnError_isUnavailableNotMalformed() {
    ObjectNode answer = Fixtures.tree(Fixtures.NEAR);
    answer.put("error", "CVM is not running");

    Evidence evidence = checker.check(answer.toString(), deployed);

    assertThat(evidence.unavailable()).isPresent();
    assertThat(evidence.noneFailed()).isFalse();
    assertThat(evidence.checks().values()).allMatch(c -> c.outcome() == Outcome.NOT_CHECKED);
  }

  static ObjectNode event(ObjectNode answer, String name) {
    for (var e : answer.get("tcb_info").get("event_log")) {
      if (e.get("event").asText().equals(name)) {
        return (ObjectNode) e;
      }
    }
    throw new AssertionError("no " + name + " event");
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
