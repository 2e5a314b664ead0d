package cloud.phala.operator.simulator.cloud;

import cloud.phala.operator.simulator.time.SimTime;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Runs a CVM through the statuses of an operation (e.g. {@code shutting_down} for the shutdown
 * time, then {@code starting} for the boot time, then the boot itself) on a timer. Each operation
 * carries a number; a step that finds the CVM on another operation, or gone, does nothing.
 */
final class Lifecycle {
  /** One status held for a while. */
  record Step(String status, Duration duration) {}

  /** What happens at the end of an operation, under the world's lock. */
  interface Finish {
    void run(Cvm cvm);
  }

  private final Object lock;
  private final SimTime time;
  private final Runnable onChange;

  Lifecycle(Object lock, SimTime time, Runnable onChange) {
    this.lock = lock;
    this.time = time;
    this.onChange = onChange;
  }

  /** Starts the operation now; the caller holds the lock and has set the operation fields. */
  void run(Cvm cvm, List<Step> steps, Finish finish) {
    Deque<Step> remaining = new ArrayDeque<>(steps);
    enter(cvm, cvm.operation, remaining, finish);
  }

  private void enter(Cvm cvm, long operation, Deque<Step> remaining, Finish finish) {
    Step step = remaining.poll();
    if (step == null) {
      finish.run(cvm);
      onChange.run();
      return;
    }
    cvm.status = step.status();
    onChange.run();
    time.schedule(
        step.duration(),
        () -> {
          synchronized (lock) {
            if (cvm.operation == operation && !cvm.deleted) {
              enter(cvm, operation, remaining, finish);
            }
          }
        });
  }
}
