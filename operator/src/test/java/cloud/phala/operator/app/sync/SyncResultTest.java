package cloud.phala.operator.app.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the reconciler schedules the next pass. */
class SyncResultTest {
  private static final Duration PROGRESS = Duration.ofSeconds(2);
  private static final Duration STEADY = Duration.ofSeconds(60);

  @Test
  void aConvergingApp_isLookedAtEveryProgressPoll_anAppAtRestEverySteadyPoll() {
    assertThat(new SyncResult(null, true).next(PROGRESS, STEADY)).isEqualTo(PROGRESS);
    assertThat(new SyncResult(null, false).next(PROGRESS, STEADY)).isEqualTo(STEADY);
  }

  @Test
  void aBatchWindowWaitEndingSooner_bringsThePassForward_neverSoonerThanTheProgressPoll() {
    SyncResult waiting = new SyncResult(null, false, Optional.of(Duration.ofSeconds(25)));
    SyncResult almostOver = new SyncResult(null, false, Optional.of(Duration.ofMillis(10)));
    SyncResult later = new SyncResult(null, false, Optional.of(Duration.ofMinutes(30)));

    assertThat(waiting.next(PROGRESS, STEADY)).isEqualTo(Duration.ofSeconds(25));
    assertThat(almostOver.next(PROGRESS, STEADY)).isEqualTo(PROGRESS);
    assertThat(later.next(PROGRESS, STEADY)).isEqualTo(STEADY);
  }
}
