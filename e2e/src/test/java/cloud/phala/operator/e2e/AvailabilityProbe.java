package cloud.phala.operator.e2e;

import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.cloud.CvmStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls the simulator every 50 ms and records how many of an app's CVMs serve (running, no
 * operation in progress), as a user's load balancer would see it.
 */
final class AvailabilityProbe implements AutoCloseable {
  static final Duration INTERVAL = Duration.ofMillis(50);

  /** One poll: CVMs serving, and CVMs that exist. */
  record Sample(Instant at, int serving, int total) {}

  private final PhalaSimulator simulator;
  private final String appId;
  private final List<Sample> samples = new ArrayList<>();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();

  private AvailabilityProbe(PhalaSimulator simulator, String appId) {
    this.simulator = simulator;
    this.appId = appId;
  }

  static AvailabilityProbe start(PhalaSimulator simulator, String appId) {
    AvailabilityProbe probe = new AvailabilityProbe(simulator, appId);
    probe.poll();
    probe.poller.scheduleAtFixedRate(
        probe::poll, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return probe;
  }

  private void poll() {
    List<CvmSnapshot> cvms = simulator.world().listApp(appId);
    int serving =
        (int)
            cvms.stream()
                .filter(c -> CvmStatus.RUNNING.equals(c.status()) && !c.inProgress())
                .count();
    synchronized (samples) {
      samples.add(new Sample(Instant.now(), serving, cvms.size()));
    }
  }

  /** Stops polling; the samples taken so far. */
  List<Sample> stop() {
    close();
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
    try {
      poller.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
