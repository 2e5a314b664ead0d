package cloud.phala.operator.simulator.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Time that stands still until told to move. Scheduled tasks wait in a queue ordered by due time,
 * then by when they were scheduled; moving time on runs each task that falls due on the way, with
 * the clock set to its due time. Tasks run on the thread that moves time, never while this object's
 * lock is held (a task may take other locks and schedule more tasks). Meant to be driven by one
 * thread; then every run of the same script is the same.
 */
public final class VirtualTime implements SimTime {
  /** Where virtual time starts unless told otherwise: a fixed instant, so runs compare equal. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private record Timer(Instant due, long sequence, Runnable task) {}

  private final Instant start;
  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>(Comparator.comparing(Timer::due).thenComparingLong(Timer::sequence));
  private final Clock clock = new VirtualClock(ZoneOffset.UTC);
  private volatile Instant now;
  private long scheduled;
  private boolean closed;

  public VirtualTime() {
    this(DEFAULT_START);
  }

  public VirtualTime(Instant start) {
    this.start = start;
    this.now = start;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  public Instant now() {
    return now;
  }

  @Override
  public synchronized void schedule(Duration delay, Runnable task) {
    if (closed) {
      return;
    }
    Instant due = now.plus(delay.isNegative() ? Duration.ZERO : delay);
    timers.add(new Timer(due, scheduled++, task));
  }

  /** Moves time on by {@code duration}, running every task due on the way. */
  @Override
  public void sleep(Duration duration) {
    advance(duration);
  }

  /** Virtual nanoseconds since the start. */
  @Override
  public long nanoTime() {
    return Duration.between(start, now).toNanos();
  }

  /**
   * Moves time on by {@code duration}: each task due by then runs in order, with the clock at its
   * due time; then the clock stands at the end.
   */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time cannot go back");
    }
    Instant end = now.plus(duration);
    for (Timer timer = takeDueBy(end); timer != null; timer = takeDueBy(end)) {
      timer.task().run();
    }
    moveTo(end);
  }

  /** Runs every task due now, including tasks they schedule for now; returns how many ran. */
  public int runDue() {
    int ran = 0;
    for (Timer timer = takeDueBy(now); timer != null; timer = takeDueBy(now)) {
      timer.task().run();
      ran++;
    }
    return ran;
  }

  /** How long until the next task is due, if any is scheduled. */
  public synchronized Optional<Duration> nextDueIn() {
    Timer next = timers.peek();
    return next == null ? Optional.empty() : Optional.of(Duration.between(now, next.due()));
  }

  /** Moves time to the next task's due time and runs everything due then; false if none waits. */
  public boolean advanceToNext() {
    Optional<Duration> next = nextDueIn();
    next.ifPresent(this::advance);
    return next.isPresent();
  }

  /** How many tasks wait. */
  public synchronized int pending() {
    return timers.size();
  }

  private synchronized Timer takeDueBy(Instant end) {
    Timer next = timers.peek();
    if (next == null || next.due().isAfter(end)) {
      return null;
    }
    timers.poll();
    if (next.due().isAfter(now)) {
      now = next.due();
    }
    return next;
  }

  private synchronized void moveTo(Instant end) {
    if (end.isAfter(now)) {
      now = end;
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    timers.clear();
  }

  /** A clock that reads this virtual time. */
  private final class VirtualClock extends Clock {
    private final ZoneId zone;

    VirtualClock(ZoneId zone) {
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
      return newZone.equals(zone) ? this : new VirtualClock(newZone);
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
