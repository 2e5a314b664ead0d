package cloud.phala.operator.cloud;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter and a cap, as the official Go SDK retries: a {@code
 * Retry-After} from the server wins over the computed delay (still capped).
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {

  public static RetryPolicy defaults() {
    return new RetryPolicy(8, Duration.ofMillis(500), Duration.ofSeconds(20));
  }

  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
  }

  /**
   * The wait before attempt {@code attempt + 1} (attempts count from 1): a uniform draw in {@code
   * [0, min(maxDelay, baseDelay * 2^(attempt-1))]}, or the server's {@code Retry-After}.
   */
  public Duration delayAfter(int attempt, Optional<Duration> retryAfter, DoubleSupplier random) {
    if (retryAfter.isPresent()) {
      return min(retryAfter.get(), maxDelay);
    }
    long ceiling = baseDelay.toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(Math.max(ceiling, 0), maxDelay.toMillis());
    return Duration.ofMillis((long) (random.getAsDouble() * capped));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
