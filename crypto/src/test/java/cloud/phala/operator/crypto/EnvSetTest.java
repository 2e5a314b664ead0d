package cloud.phala.operator.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import cloud.phala.operator.crypto.EnvViolation.Rule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvSetTest {
  private static final String CANARY = "canary-7f3a9c-do-not-leak";

  @Test
  void laterDuplicateWins_andKeepsTheFirstPosition() {
    EnvSet env =
        EnvSet.of(List.of(new EnvVar("A", "1"), new EnvVar("B", "2"), new EnvVar("A", "3")));

    assertThat(env.keys()).containsExactly("A", "B");
    assertThat(env.get("A")).contains("3");
    assertThat(env.size()).isEqualTo(2);
  }

  @Test
  void equality_dependsOnKeysValuesAndOrder() {
    EnvSet ab = EnvSet.builder().put("A", "1").put("B", "2").build();

    assertThat(ab).isEqualTo(EnvSet.builder().put("A", "1").put("B", "2").build());
    assertThat(ab).isNotEqualTo(EnvSet.builder().put("B", "2").put("A", "1").build());
    assertThat(ab).isNotEqualTo(EnvSet.builder().put("A", "1").put("B", "x").build());
  }

  @Test
  void varCount_atTheLimitIsAccepted_onePastIsRefused() {
    assertThat(setOfSize(EnvLimits.MAX_VARS).size()).isEqualTo(1024);

    assertThat(violations(() -> setOfSize(EnvLimits.MAX_VARS + 1)))
        .extracting(EnvViolation::rule)
        .containsExactly(Rule.TOO_MANY_VARS);
  }

  @Test
  void keyLength_atTheLimitIsAccepted_onePastIsRefused() {
    String atLimit = "K".repeat(EnvLimits.MAX_KEY_BYTES);
    assertThat(EnvSet.builder().put(atLimit, "v").build().keys()).containsExactly(atLimit);

    assertThat(violations(() -> EnvSet.builder().put(atLimit + "K", "v").build()))
        .extracting(EnvViolation::rule)
        .containsExactly(Rule.KEY_TOO_LONG);
  }

  @Test
  void valueLength_atTheLimitIsAccepted_onePastIsRefused_countingUtf8Bytes() {
    String atLimit = "é".repeat(EnvLimits.MAX_VALUE_BYTES / 2);
    assertThat(EnvSet.builder().put("V", atLimit).build().totalBytes())
        .isEqualTo(1 + EnvLimits.MAX_VALUE_BYTES);

    assertThat(violations(() -> EnvSet.builder().put("V", atLimit + "x").build()))
        .extracting(EnvViolation::rule, v -> v.key())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Rule.VALUE_TOO_LONG, Optional.of("V")));
  }

  @Test
  void totalSize_atTheLimitIsAccepted_onePastIsRefused() {
    EnvSet atLimit = RandomEnv.atTotalLimit();
    assertThat(atLimit.totalBytes()).isEqualTo(EnvLimits.MAX_TOTAL_BYTES);

    EnvSet.Builder onePast = EnvSet.builder();
    atLimit.entries().forEach(e -> onePast.put(e.key(), e.value()));
    onePast.put("X", "");

    assertThat(violations(onePast::build))
        .extracting(EnvViolation::rule)
        .containsExactly(Rule.SET_TOO_LARGE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1ABC", "A-B", "A B", "A.B", "É", "A\nB", "A=B", "$A"})
  void keyNames_outsideTheGuestPattern_areRefused(String key) {
    assertThat(violations(() -> EnvSet.builder().put(key, "v").build()))
        .extracting(EnvViolation::rule)
        .contains(Rule.KEY_INVALID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"_", "a", "A1", "_1_a_B", "lower_case"})
  void keyNames_insideTheGuestPattern_areAccepted(String key) {
    assertThat(EnvSet.builder().put(key, "v").build().keys()).containsExactly(key);
  }

  @Test
  void values_withUnpairedSurrogates_areRefused_pairedOnesAccepted() {
    assertThat(EnvSet.builder().put("OK", "😀").build().size()).isEqualTo(1);

    assertThat(violations(() -> EnvSet.builder().put("BAD", "x\uD83Dy").build()))
        .extracting(EnvViolation::rule, EnvViolation::toString)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Rule.VALUE_NOT_UNICODE,
                "BAD: value contains an unpaired surrogate, which the guest cannot decode"));
  }

  @Test
  void everyViolation_isReportedAtOnce_byKeyName() {
    EnvValidationException error =
        catchThrowableOfType(
            EnvValidationException.class,
            () ->
                EnvSet.builder()
                    .put("1BAD", CANARY)
                    .put("GOOD", CANARY)
                    .put("HUGE", CANARY.repeat(EnvLimits.MAX_VALUE_BYTES / CANARY.length() + 1))
                    .put("K".repeat(300), CANARY)
                    .build());

    assertThat(error.violations())
        .extracting(v -> v.key().orElseThrow(), EnvViolation::rule)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("1BAD", Rule.KEY_INVALID),
            org.assertj.core.groups.Tuple.tuple("HUGE", Rule.VALUE_TOO_LONG),
            org.assertj.core.groups.Tuple.tuple("K".repeat(300), Rule.KEY_TOO_LONG));
    assertThat(error.getMessage())
        .contains("1BAD", "HUGE", "3 problems")
        .doesNotContain(CANARY)
        .doesNotContain("K".repeat(65));
  }

  @Test
  void toString_andEqualityFailures_neverShowValues() {
    EnvSet one = EnvSet.builder().put("TOKEN", CANARY).build();
    EnvSet other = EnvSet.builder().put("TOKEN", CANARY + "2").build();

    assertThat(one.toString()).isEqualTo("EnvSet[TOKEN]");
    assertThat(new EnvVar("TOKEN", CANARY).toString()).isEqualTo("TOKEN=<redacted>");
    assertThatThrownBy(() -> assertThat(one).isEqualTo(other))
        .isInstanceOf(AssertionError.class)
        .message()
        .doesNotContain(CANARY);
    assertThatThrownBy(() -> assertThat(one.entries()).isEqualTo(other.entries()))
        .message()
        .doesNotContain(CANARY);
  }

  @Test
  void nullKeysAndValues_areRefusedWithoutEchoingAnything() {
    assertThatThrownBy(() -> EnvSet.builder().put(null, CANARY))
        .isInstanceOf(NullPointerException.class)
        .message()
        .doesNotContain(CANARY);
    assertThatThrownBy(() -> EnvSet.builder().put("K", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("env var K has a null value");
  }

  @Test
  void keyNamesInMessages_haveControlCharactersEscaped() {
    EnvValidationException error =
        catchThrowableOfType(
            EnvValidationException.class,
            () -> EnvSet.builder().put("A\nFAKE LOG LINE", "v").build());

    assertThat(error.getMessage()).contains("A\\u000aFAKE LOG LINE").doesNotContain("\n");
  }

  @Test
  void ofMap_keepsTheMapsOrder() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("B", "1");
    map.put("A", "2");

    assertThat(EnvSet.of(map).keys()).containsExactly("B", "A");
  }

  private static EnvSet setOfSize(int size) {
    EnvSet.Builder builder = EnvSet.builder();
    for (int i = 0; i < size; i++) {
      builder.put("K" + i, "v");
    }
    return builder.build();
  }

  private static List<EnvViolation> violations(Runnable build) {
    return catchThrowableOfType(EnvValidationException.class, build::run).violations();
  }
}
