package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(8, Duration.ofMillis(500), Duration.ofSeconds(20));

  @Test
  void theDelay_doublesPerAttemptUpToTheCap_withFullJitter() {
    assertThat(policy.delayAfter(1, Optional.empty(), () -> 0.999))
        .isEqualTo(Duration.ofMillis(499));
    assertThat(policy.delayAfter(3, Optional.empty(), () -> 0.999))
        .isEqualTo(Duration.ofMillis(1998));
    assertThat(policy.delayAfter(10, Optional.empty(), () -> 0.999))
        .isEqualTo(Duration.ofMillis(19980));
    assertThat(policy.delayAfter(60, Optional.empty(), () -> 0.999))
        .isEqualTo(Duration.ofMillis(19980));
    assertThat(policy.delayAfter(3, Optional.empty(), () -> 0.0)).isEqualTo(Duration.ZERO);
  }

  @Test
  void retryAfter_winsOverTheComputedDelay_butNotOverTheCap() {
    assertThat(policy.delayAfter(1, Optional.of(Duration.ofSeconds(7)), () -> 0.5))
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(policy.delayAfter(1, Optional.of(Duration.ofMinutes(5)), () -> 0.5))
        .isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void retryAfter_isReadAsSecondsOrAsAnHttpDate() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    assertThat(RetryAfter.parse("12", clock)).contains(Duration.ofSeconds(12));
    assertThat(RetryAfter.parse("Fri, 27 Nov 2026 10:00:30 GMT", clock))
        .contains(Duration.ofSeconds(30));
    assertThat(RetryAfter.parse("Fri, 27 Nov 2026 09:00:00 GMT", clock)).contains(Duration.ZERO);
    assertThat(RetryAfter.parse("soon", clock)).isEmpty();
    assertThat(RetryAfter.parse("-3", clock)).isEmpty();
    assertThat(RetryAfter.parse(null, clock)).isEmpty();
  }
}
