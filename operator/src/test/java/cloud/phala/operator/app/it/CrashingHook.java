package cloud.phala.operator.app.it;

import cloud.phala.operator.app.plan.Action;
import cloud.phala.operator.app.sync.PassHook;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Stops a pass dead at one {@link PassHook.Point}: the reconcile thread parks there, so nothing
 * after that point happens in this operator, and it throws once released (when the operator is
 * being stopped), like a process killed at that instant.
 */
final class CrashingHook implements PassHook {
  /** Thrown out of the parked pass; nothing catches it on the way out. */
  static final class Crash extends Error {
    Crash() {
      super("simulated crash", null, false, false);
    }
  }

  /** namespace/name of every app this operator observed in a pass (from JOSDK's MDC). */
  final java.util.Set<String> observed = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final java.util.Map<String, Integer> passes =
      new java.util.concurrent.ConcurrentHashMap<>();

  private volatile Point armedAt;
  private volatile Predicate<Action> forStep = s -> true;
  private volatile Predicate<String> forRevision = r -> true;
  private volatile CountDownLatch hit = new CountDownLatch(1);
  private volatile CountDownLatch release = new CountDownLatch(1);

  /** The next pass to reach {@code point} with a step and revision these accept stops there. */
  void arm(Point point, Predicate<Action> forStep, Predicate<String> forRevision) {
    this.forStep = forStep;
    this.forRevision = forRevision;
    this.hit = new CountDownLatch(1);
    this.release = new CountDownLatch(1);
    this.armedAt = point;
  }

  @Override
  public void at(Point point, Action step, String revision) {
    if (point == Point.OBSERVED) {
      String app =
          org.slf4j.MDC.get("resource.namespace") + "/" + org.slf4j.MDC.get("resource.name");
      observed.add(app);
      passes.merge(app, 1, Integer::sum);
    }
    CountDownLatch parkedUntil;
    synchronized (this) {
      if (point != armedAt || !forStep.test(step) || !forRevision.test(revision)) {
        return;
      }
      armedAt = null;
      parkedUntil = release;
    }
    hit.countDown();
    try {
      parkedUntil.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new Crash();
  }

  /** How many passes over namespace/name this operator has observed. */
  int passes(String app) {
    return passes.getOrDefault(app, 0);
  }

  void awaitHit(Duration timeout) throws InterruptedException {
    if (!hit.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("no pass reached " + armedAt + " within " + timeout);
    }
  }

  /** Lets the parked pass die (call while its operator is stopping). */
  void releaseParked() {
    release.countDown();
  }
}
