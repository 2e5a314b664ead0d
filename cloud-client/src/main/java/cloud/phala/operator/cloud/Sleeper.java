package cloud.phala.operator.cloud;

import java.time.Duration;

/**
 * How the client waits between attempts: really by default; a simulation moves its virtual clock on
 * instead, so backoff and {@code Retry-After} cost no real time.
 */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  /** Sleeps the calling thread. */
  Sleeper REAL = duration -> Thread.sleep(duration.toMillis());
}
