package cloud.phala.operator.simulator.time;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The system UTC clock, and scheduled tasks on one daemon thread of their own. */
public final class SystemTime implements SimTime {
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "simulator-lifecycle");
            t.setDaemon(true);
            return t;
          });

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public void schedule(Duration delay, Runnable task) {
    timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
