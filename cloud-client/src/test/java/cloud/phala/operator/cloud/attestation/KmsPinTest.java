package cloud.phala.operator.cloud.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloud.phala.operator.cloud.attestation.Check.Outcome;
import cloud.phala.operator.cloud.attestation.MalformedAttestationException.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** KMS_PINNED on key-provider events of every shape dstack writes, and of shapes it does not. */
class KmsPinTest {
  private static final String KMS = "3059301306072a8648ce3d0201" + "ab".repeat(40);

  private static Attestation withEvents(RuntimeEvent... events) {
    return new Attestation(new byte[0], null, Arrays.asList(events), "{}");
  }

  private static RuntimeEvent keyProvider(String json) {
    return RuntimeEvent.runtime("key-provider", json.getBytes(StandardCharsets.UTF_8));
  }

  private static Check pinned(Attestation attestation, String pin) {
    return KeyProvider.check(attestation, Optional.of(EvidenceChecker.normalize(pin)));
  }

  @Test
  void aKmsKeyProviderWithThePinnedId_passes() {
    Attestation a = withEvents(keyProvider("{\"name\":\"kms\",\"id\":\"" + KMS + "\"}"));

    assertThat(pinned(a, "0x" + KMS.toUpperCase(java.util.Locale.ROOT)).outcome())
        .isEqualTo(Outcome.PASSED);
    assertThat(KeyProvider.check(a, Optional.empty()).outcome()).isEqualTo(Outcome.NOT_CHECKED);
  }

  @Test
  void noKeyProviderEvent_orAnEmptyId_failsAPin() {
    assertThat(pinned(withEvents(), KMS).reason())
        .isEqualTo("the event log has no key-provider event");
    Check tpm = pinned(withEvents(keyProvider("{\"name\":\"tpm\",\"id\":\"\"}")), KMS);
    assertThat(tpm.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(tpm.reason())
        .isEqualTo("the key-provider event's id is not the pinned KMS identity");
  }

  @Test
  void aKeyProviderPayloadThatIsNotDstacksJson_failsWithoutEchoingIt() {
    for (String payload :
        List.of("kms:" + KMS, "{\"name\":\"kms\"}", "{\"id\":42}", "{\"id\":\"" + KMS + "zz\"}")) {
      Check check = pinned(withEvents(keyProvider(payload)), KMS);

      assertThat(check.outcome()).as(payload).isEqualTo(Outcome.FAILED);
      assertThat(check.reason())
          .isEqualTo("the key-provider event is not JSON with a hex string id")
          .doesNotContain(KMS);
    }
  }

  @Test
  void twoKeyProviderEvents_areAMalformedAnswer() {
    Attestation twice =
        withEvents(
            keyProvider("{\"name\":\"kms\",\"id\":\"" + KMS + "\"}"),
            keyProvider("{\"name\":\"kms\",\"id\":\"00\"}"));

    assertThatThrownBy(() -> pinned(twice, KMS))
        .isInstanceOfSatisfying(
            MalformedAttestationException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.DUPLICATE_EVENT));
  }
}
