package cloud.phala.operator.app.plan;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.Rollout;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RolloutFailureTest {
  private static final Instant GIVEN = Instant.parse("2026-11-27T10:00:00Z");
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  @Test
  void aReplicaThatFailedToBootTheNewRevision_failsTheRollout_atOnce() {
    List<ObservedCvm> cvms =
        List.of(
            new ObservedCvm("a", "running", false, "new", GIVEN),
            new ObservedCvm("b", "error", false, "new", GIVEN));

    assertThat(RolloutFailure.find("new", TIMEOUT, GIVEN.plusSeconds(5), cvms))
        .contains(new RolloutFailure("b", true));
  }

  @Test
  void aReplicaStillBooting_failsTheRollout_onlyOnceReadyTimeoutHasPassed() {
    List<ObservedCvm> cvms = List.of(new ObservedCvm("a", "starting", true, "new", GIVEN));

    assertThat(RolloutFailure.find("new", TIMEOUT, GIVEN.plus(TIMEOUT), cvms)).isEmpty();
    assertThat(RolloutFailure.find("new", TIMEOUT, GIVEN.plus(TIMEOUT).plusSeconds(1), cvms))
        .contains(new RolloutFailure("a", false));
  }

  @Test
  void replicasOnAnotherRevision_orServing_neverFailIt() {
    Instant late = GIVEN.plus(Duration.ofHours(5));
    List<ObservedCvm> cvms =
        List.of(
            new ObservedCvm("old-broken", "error", false, "old", GIVEN),
            new ObservedCvm("old-booting", "starting", true, "old", GIVEN),
            new ObservedCvm("new-serving", "running", false, "new", GIVEN),
            new ObservedCvm("unknown-since", "starting", true, "new", null));

    assertThat(RolloutFailure.find("new", TIMEOUT, late, cvms)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"10m,600", "90s,90", "1h30m,5400", "2h,7200", "1h0m5s,3605", "'',600"})
  void readyTimeout_isReadAsHoursMinutesAndSeconds(String text, long seconds) {
    assertThat(RolloutSettings.duration(text)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @Test
  void onFailureRollback_andReadyTimeout_reachTheSettings() {
    Rollout rollout = new Rollout();
    rollout.readyTimeout = "45s";
    rollout.onFailure = Rollout.OnFailure.Rollback;

    RolloutSettings settings = RolloutSettings.from(rollout, 3);

    assertThat(settings.readyTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(settings.rollbackOnFailure()).isTrue();
    assertThat(RolloutSettings.from(null, 3).rollbackOnFailure()).isFalse();
    assertThat(RolloutSettings.from(null, 3).readyTimeout()).isEqualTo(Duration.ofMinutes(10));
  }
}
