package cloud.phala.operator.app.pace;

/**
 * A token bucket: {@code burst} requests at once, then {@code qps} a second. Pure: the caller
 * passes the time and waits as long as {@link #reserve} says.
 */
final class KubeRateLimit {
  private final double nanosPerToken;
  private final double burst;
  private double tokens;
  private long last;

  KubeRateLimit(double qps, int burst, long nowNanos) {
    if (qps <= 0 || burst < 1) {
      throw new IllegalArgumentException("a rate limit needs qps > 0 and burst >= 1");
    }
    this.nanosPerToken = 1e9 / qps;
    this.burst = burst;
    this.tokens = burst;
    this.last = nowNanos;
  }

  /** Takes a token; returns how many nanoseconds to wait before using it (0: at once). */
  synchronized long reserve(long nowNanos) {
    if (nowNanos > last) {
      tokens = Math.min(burst, tokens + (nowNanos - last) / nanosPerToken);
      last = nowNanos;
    }
    tokens -= 1;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * nanosPerToken);
  }
}
