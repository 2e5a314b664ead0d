package cloud.phala.operator.app.sync.decide;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IntentCheckTest {
  private static final Instant SINCE = Instant.parse("2026-11-27T10:00:00Z");
  private static final Instant NOW = SINCE.plusSeconds(30);

  @Test
  void aCvmRestartingNow_gotTheStep() {
    assertThat(IntentCheck.applied("running", true, Optional.empty(), SINCE, NOW)).isTrue();
  }

  @Test
  void aCvmRunningSinceBeforeTheIntent_didNotGetIt() {
    assertThat(IntentCheck.applied("running", false, up(31), SINCE, NOW)).isFalse();
    assertThat(IntentCheck.applied("running", false, up(3600), SINCE, NOW)).isFalse();
  }

  @Test
  void aCvmThatRestartedAfterTheIntent_gotIt() {
    assertThat(IntentCheck.applied("running", false, up(12), SINCE, NOW)).isTrue();
  }

  @Test
  void withinTheSecondUptimeCannotResolve_itCountsAsNotApplied() {
    assertThat(IntentCheck.applied("running", false, up(29), SINCE, NOW)).isTrue();
    assertThat(IntentCheck.applied("running", false, up(30), SINCE, NOW)).isFalse();
  }

  @Test
  void aStoppedOrFailedCvm_orAnUnreadableUptime_countsAsNotApplied() {
    assertThat(IntentCheck.applied("error", false, Optional.empty(), SINCE, NOW)).isFalse();
    assertThat(IntentCheck.applied("stopped", false, Optional.empty(), SINCE, NOW)).isFalse();
    assertThat(IntentCheck.applied("running", false, Optional.empty(), SINCE, NOW)).isFalse();
  }

  private static Optional<Duration> up(long seconds) {
    return Optional.of(Duration.ofSeconds(seconds));
  }
}
