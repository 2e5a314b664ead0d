package cloud.phala.operator.app.plan;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.Rollout;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Numbers the CRD refuses today but a PhalaApp stored before it did may still hold: read without an
 * exception or an overflow, as the most they can mean.
 */
class RolloutSettingsTest {
  private static final int MAX = Integer.MAX_VALUE;

  static Stream<Arguments> extremeLimits() {
    return Stream.of(
        Arguments.of("99999999999%", "99999999999%", 3, MAX, MAX),
        Arguments.of("99999999999999999999999999%", "99999999999999999999999999%", 100, MAX, MAX),
        Arguments.of("3000000000%", "3000000000%", 1, 30_000_000, 30_000_000),
        Arguments.of("214748364701%", "214748364701%", 1, MAX, MAX), // MAX.01: down MAX, up MAX
        Arguments.of("0000000000000000000000025%", "25%", 10, 2, 3),
        Arguments.of("100%", "100%", 100, 100, 100),
        Arguments.of(MAX, MAX, 100, MAX, MAX),
        Arguments.of("99999999999%", "99999999999%", 0, 1, 0), // both 0: maxUnavailable 1
        Arguments.of(-5, -5, 3, 1, 0)); // negative: 0, then both 0
  }

  @ParameterizedTest(name = "maxUnavailable {0}, maxSurge {1} of {2} replicas: {3} and {4}")
  @MethodSource("extremeLimits")
  void extremeLimits_areReadWithoutOverflow_capped_atTheLargestInt(
      Object maxUnavailable,
      Object maxSurge,
      int replicas,
      int expectedUnavailable,
      int expectedSurge) {
    Rollout rollout = new Rollout();
    rollout.maxUnavailable = intOrString(maxUnavailable);
    rollout.maxSurge = intOrString(maxSurge);

    RolloutSettings settings = RolloutSettings.from(rollout, replicas);

    assertThat(settings.maxUnavailable()).isEqualTo(expectedUnavailable);
    assertThat(settings.maxSurge()).isEqualTo(expectedSurge);
  }

  @ParameterizedTest
  @CsvSource({
    "0s,600", // would fail every rollout at once: the default
    "0h0m0s,600",
    "168h,604800",
    "169h,604800", // the longest the CRD allows
    "9999999999h,604800",
    "99999999999999999999h,600" // no Java Duration: unreadable, the default
  })
  void readyTimeout_ofZeroIsTheDefault_andOfOverAWeekIsAWeek(String text, long seconds) {
    assertThat(RolloutSettings.duration(text)).isEqualTo(Duration.ofSeconds(seconds));
  }

  private static IntOrString intOrString(Object value) {
    return value instanceof Integer i ? new IntOrString(i) : new IntOrString((String) value);
  }
}
