package cloud.phala.operator.cloud.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import cloud.phala.operator.cloud.attestation.MalformedAttestationException.Problem;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class MalformedAttestationTest {
  private static final String CANARY = "canary-attestation-content-7f3a";

  @Test
  void anAnswerThatIsNotJson_isRefusedWithoutEchoingIt() {
    assertRefused(CANARY + "{", Problem.NOT_JSON);
  }

  @Test
  void anOversizedAnswer_isRefusedBeforeParsing() {
    assertRefused(
        "\"" + CANARY.repeat(AttestationParser.MAX_ANSWER_CHARS / CANARY.length() + 1) + "\"",
        Problem.TOO_LARGE);
  }

  @Test
  void tooManyEvents_isRefused() {
    assertRefused(
        mutate(
            a -> {
              ArrayNode log = (ArrayNode) a.get("tcb_info").get("event_log");
              while (log.size() <= AttestationParser.MAX_EVENTS) {
                log.add(log.get(0).deepCopy());
              }
            }),
        Problem.TOO_MANY_EVENTS);
  }

  @Test
  void anOversizedEventPayload_isRefused() {
    assertRefused(
        mutate(
            e(
                "compose-hash",
                e -> e.put("event_payload", "ab".repeat(AttestationParser.MAX_PAYLOAD_BYTES + 1)))),
        Problem.TOO_LARGE);
  }

  @Test
  void aMissingComposeHashEvent_isRefused() {
    assertRefused(mutate(e("compose-hash", e -> e.put("event", "renamed"))), Problem.MISSING_EVENT);
  }

  @Test
  void aDuplicateAppIdEvent_isRefused() {
    assertRefused(
        mutate(
            a -> {
              ArrayNode log = (ArrayNode) a.get("tcb_info").get("event_log");
              log.add(RealAttestationTest.event(a, "app-id").deepCopy());
            }),
        Problem.DUPLICATE_EVENT);
  }

  @Test
  void aDigestOfTheWrongLength_isRefused() {
    assertRefused(mutate(e("app-id", e -> e.put("digest", "abcd"))), Problem.BAD_FIELD);
  }

  @Test
  void aPayloadThatIsNotHex_isRefusedWithoutEchoingIt() {
    assertRefused(mutate(e("app-id", e -> e.put("event_payload", CANARY))), Problem.BAD_HEX);
  }

  @Test
  void anEventWithoutImr_isRefused() {
    assertRefused(mutate(e("app-id", e -> e.remove("imr"))), Problem.MISSING_FIELD);
  }

  @Test
  void anImrOutsideZeroToThree_isRefused() {
    assertRefused(mutate(e("app-id", e -> e.put("imr", 4))), Problem.BAD_FIELD);
  }

  @Test
  void aQuoteThatIsNotATdxQuoteV4_isRefused() {
    assertRefused(
        mutate(
            a ->
                ((ObjectNode) a.get("app_certificates").get(0))
                    .put("quote", "0300" + "00".repeat(700))),
        Problem.BAD_QUOTE);
  }

  @Test
  void aTruncatedQuote_isRefused() {
    assertRefused(
        mutate(
            a -> ((ObjectNode) a.get("app_certificates").get(0)).put("quote", "0400020081000000")),
        Problem.BAD_QUOTE);
  }

  @Test
  void aMissingEventLog_isRefused() {
    assertRefused(
        mutate(a -> ((ObjectNode) a.get("tcb_info")).remove("event_log")), Problem.MISSING_FIELD);
  }

  private static void assertRefused(String answer, Problem problem) {
    MalformedAttestationException refused =
        catchThrowableOfType(
            MalformedAttestationException.class,
            () ->
                EvidenceChecker.withoutQuoteVerification()
                    .check(answer, Expected.of(Fixtures.NEAR_COMPOSE_HASH, Fixtures.NEAR_APP_ID)));

    assertThat(refused).isNotNull();
    assertThat(refused.problem()).isEqualTo(problem);
    assertThat(refused.getMessage()).doesNotContain(CANARY).hasSizeLessThan(200);
  }

  private static Consumer<ObjectNode> e(String name, Consumer<ObjectNode> change) {
    return a -> change.accept(RealAttestationTest.event(a, name));
  }

  private static String mutate(Consumer<ObjectNode> change) {
    ObjectNode answer = Fixtures.tree(Fixtures.NEAR);
    change.accept(answer);
    return answer.toString();
  }
}
