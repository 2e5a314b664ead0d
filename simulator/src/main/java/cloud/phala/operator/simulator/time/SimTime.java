package cloud.phala.operator.simulator.time;

import java.time.Clock;
import java.time.Duration;

/**
 * The simulator's notion of time: what time it is, how to do something later, and how to wait.
 * {@link SystemTime} is the real thing; {@link VirtualTime} only moves when a test moves it, so a
 * whole simulated history runs on one thread without sleeping.
 */
public interface SimTime extends AutoCloseable {
  Clock clock();

  /** Runs {@code task} once {@code delay} has passed; tasks due at the same time run in order. */
  void schedule(Duration delay, Runnable task);

  /** Waits {@code duration}: really, or by moving virtual time on. */
  void sleep(Duration duration);

  /** A monotonic reading in nanoseconds, for measuring how long something took. */
  long nanoTime();

  /** Stops any threads this time keeps; nothing scheduled runs afterwards. */
  @Override
  void close();
}
