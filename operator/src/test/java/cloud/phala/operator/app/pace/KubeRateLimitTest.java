package cloud.phala.operator.app.pace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KubeRateLimitTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstGoesAtOnce_thenRequestsAreSpacedByOneOverQps_andAnIdleBucketRefillsUpToTheBurst() {
    KubeRateLimit limit = new KubeRateLimit(10, 3, 0);

    assertThat(limit.reserve(0)).isZero();
    assertThat(limit.reserve(0)).isZero();
    assertThat(limit.reserve(0)).isZero();
    assertThat(limit.reserve(0)).as("the 4th waits one token").isEqualTo(SECOND / 10);
    assertThat(limit.reserve(0)).as("the 5th two").isEqualTo(2 * SECOND / 10);

    long later = 10 * SECOND;
    for (int i = 0; i < 3; i++) {
      assertThat(limit.reserve(later)).as("refilled to the burst, no more").isZero();
    }
    assertThat(limit.reserve(later)).isEqualTo(SECOND / 10);
  }

  @Test
  void aLimitWithoutARateOrBurst_isRefused() {
    assertThatThrownBy(() -> new KubeRateLimit(0, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KubeRateLimit(5, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
