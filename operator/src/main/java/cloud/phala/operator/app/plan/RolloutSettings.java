package cloud.phala.operator.app.plan;

import cloud.phala.operator.cloud.CompactDuration;
import cloud.phala.operator.crd.Rollout;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A rollout's limits as whole numbers of replicas, rounded as Deployments round them:
 * maxUnavailable down, maxSurge up; if both come out 0, maxUnavailable becomes 1.
 *
 * <p>The CRD refuses numbers over 100 or 100%, and a readyTimeout of 0s or over 168h, but a
 * PhalaApp stored before it did keeps them: so every number here is read without overflow, a limit
 * too large for an int is {@link Integer#MAX_VALUE} (all replicas), and such a readyTimeout is the
 * default or the longest the CRD allows.
 */
public record RolloutSettings(
    boolean recreate,
    int maxUnavailable,
    int maxSurge,
    boolean paused,
    Duration readyTimeout,
    boolean rollbackOnFailure) {
  static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(10);

  /** The longest readyTimeout the CRD accepts. */
  static final Duration MAX_READY_TIMEOUT = Duration.ofHours(168);

  private static final Pattern PERCENTAGE = Pattern.compile("([0-9]+)%");

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

  /**
   * {@code 1h30m}, {@code 90s}; the default when unset, unreadable or 0 (which would fail every
   * rollout at once), and at most {@link #MAX_READY_TIMEOUT}.
   */
  static Duration duration(String text) {
    Duration timeout = CompactDuration.parse(text).orElse(DEFAULT_READY_TIMEOUT);
    if (timeout.isZero() || timeout.isNegative()) {
      return DEFAULT_READY_TIMEOUT;
    }
    return timeout.compareTo(MAX_READY_TIMEOUT) > 0 ? MAX_READY_TIMEOUT : timeout;
  }

  /**
   * A number of replicas, or a percentage of {@code replicas} rounded down or up; never negative,
   * {@link Integer#MAX_VALUE} when larger, {@code fallback} when it is neither.
   */
  static int scaled(IntOrString value, int replicas, boolean roundUp, int fallback) {
    if (value == null) {
      return fallback;
    }
    if (value.getIntVal() != null) {
      return Math.max(0, value.getIntVal());
    }
    var percentage = PERCENTAGE.matcher(value.getStrVal() == null ? "" : value.getStrVal());
    if (!percentage.matches()) {
      return fallback;
    }
    long hundredths = saturatedProduct(Math.max(0, replicas), saturatedLong(percentage.group(1)));
    long count = hundredths / 100 + (roundUp && hundredths % 100 != 0 ? 1 : 0);
    return (int) Math.min(count, Integer.MAX_VALUE);
  }

  /** The decimal {@code digits}, or {@link Long#MAX_VALUE} if larger. */
  private static long saturatedLong(String digits) {
    String significant = digits.replaceFirst("^0+", "");
    if (significant.length() > 18) {
      return Long.MAX_VALUE;
    }
    return significant.isEmpty() ? 0 : Long.parseLong(significant);
  }

  /** {@code a * b} for non-negative numbers, or {@link Long#MAX_VALUE} if larger. */
  private static long saturatedProduct(long a, long b) {
    return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
  }
}
