package cloud.phala.operator.app.pace;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * JOSDK's reconcile executor with {@link PassTicket}'s order instead of a FIFO queue: JOSDK's
 * default fixed pool queues a running rollout's follow-up pass behind the whole wave of first
 * passes a shared Secret's change queued, so rollouts advanced in waves. Counts queued passes by
 * kind in {@code phala_passes_queued_total{kind}}.
 */
public final class PassExecutor extends ThreadPoolExecutor {
  private final Function<Runnable, PassKind> kinds;
  private final boolean rolloutsFirst;
  private final AtomicLong arrivals = new AtomicLong();
  private final Map<PassKind, Counter> queued = new EnumMap<>(PassKind.class);

  PassExecutor(
      int threads,
      boolean rolloutsFirst,
      Function<Runnable, PassKind> kinds,
      MeterRegistry registry) {
    super(threads, threads, 0, TimeUnit.MILLISECONDS, new PriorityBlockingQueue<>());
    this.kinds = kinds;
    this.rolloutsFirst = rolloutsFirst;
    for (PassKind kind : PassKind.values()) {
      queued.put(
          kind,
          Counter.builder("phala.passes.queued")
              .tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
              .register(registry));
    }
  }

  /** For JOSDK's reconcile tasks: their kind is read from the app each task carries. */
  public static PassExecutor forReconciles(
      int threads, boolean rolloutsFirst, MeterRegistry registry) {
    return new PassExecutor(
        threads, rolloutsFirst, task -> PassKind.of(ReconcileTasks.resourceOf(task)), registry);
  }

  @Override
  public void execute(Runnable task) {
    PassKind kind = kinds.apply(task);
    queued.get(kind).increment();
    super.execute(
        new Queued(
            task,
            new PassTicket(
                rolloutsFirst && kind == PassKind.FOLLOW_UP, arrivals.getAndIncrement())));
  }

  private record Queued(Runnable task, PassTicket ticket) implements Runnable, Comparable<Queued> {
    @Override
    public void run() {
      task.run();
    }

    @Override
    public int compareTo(Queued other) {
      return ticket.compareTo(other.ticket);
    }
  }
}
