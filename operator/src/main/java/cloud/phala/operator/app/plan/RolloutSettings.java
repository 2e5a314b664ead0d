package cloud.phala.operator.app.plan;

import cloud.phala.operator.cloud.CompactDuration;
import cloud.phala.operator.crd.Rollout;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;

/**
 * A rollout's limits as whole numbers of replicas, rounded as Deployments round them:
 * maxUnavailable down, maxSurge up; if both come out 0, maxUnavailable becomes 1.
 */
public record RolloutSettings(
    boolean recreate,
    int maxUnavailable,
    int maxSurge,
    boolean paused,
    Duration readyTimeout,
    boolean rollbackOnFailure) {
  static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(10);

  public RolloutSettings(boolean recreate, int maxUnavailable, int maxSurge) {
    this(recreate, maxUnavailable, maxSurge, false, DEFAULT_READY_TIMEOUT, false);
  }

  public static RolloutSettings from(Rollout rollout, int replicas) {
    Rollout r = rollout == null ? new Rollout() : rollout;
    int unavailable = scaled(r.maxUnavailable, replicas, false, 1);
    int surge = scaled(r.maxSurge, replicas, true, 0);
    if (unavailable == 0 && surge == 0) {
      unavailable = 1;
    }
    return new RolloutSettings(
        r.strategy == Rollout.Strategy.Recreate,
        unavailable,
        surge,
        Boolean.TRUE.equals(r.paused),
        duration(r.readyTimeout),
        r.onFailure == Rollout.OnFailure.Rollback);
  }

  /** {@code 1h30m}, {@code 90s}; the CRD's pattern already refused anything else. */
  static Duration duration(String text) {
    return CompactDuration.parse(text).orElse(DEFAULT_READY_TIMEOUT);
  }

  static int scaled(IntOrString value, int replicas, boolean roundUp, int fallback) {
    if (value == null) {
      return fallback;
    }
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String text = value.getStrVal();
    int percent = Integer.parseInt(text.substring(0, text.length() - 1));
    return roundUp ? (replicas * percent + 99) / 100 : replicas * percent / 100;
  }
}
