package cloud.phala.operator.bench;

import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.simulator.http.RequestLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * N unchanged PhalaApps (1 replica each) at rest: over several {@code STEADY_POLL} intervals,
 * counts the operator's Kubernetes writes (every change a watch sees to PhalaApps, Events and
 * Secrets in the namespace, where the operator also keeps its own Secrets; nothing else writes
 * there meanwhile) and its Phala Cloud requests (the simulator's request log), per interval.
 *
 * <pre>
 * java -Xmx1g -cp bench/target/benchmarks.jar cloud.phala.operator.bench.SteadyState \
 *     [apps=1000] [steadyPollSeconds=5] [intervals=6]
 * </pre>
 */
public final class SteadyState {
  private SteadyState() {}

  public static void main(String[] args) {
    BenchCluster.runAndExit(args, SteadyState::run);
  }

  private static void run(String[] args) throws Exception {
    int apps = BenchCluster.intArg(args, 0, 1000);
    int pollSeconds = BenchCluster.intArg(args, 1, 5);
    int intervals = BenchCluster.intArg(args, 2, 6);
    Duration poll = Duration.ofSeconds(pollSeconds);
    try (BenchCluster cluster =
        BenchCluster.start(
            BenchCluster.simulator(Duration.ofMillis(200), Duration.ofMillis(100)),
            Map.of("STEADY_POLL", pollSeconds + "s"))) {
      cluster.secret("shared", Map.of("value", "v0"));
      List<PhalaApp> created = new ArrayList<>();
      for (int i = 0; i < apps; i++) {
        created.add(BenchApps.app("app-" + i, 1, List.of(BenchApps.fromSecret("S", "shared"))));
      }
      long start = System.nanoTime();
      cluster.createAll(created, 8);
      cluster.awaitApps(apps, BenchCluster.ready(1), Duration.ofSeconds(1), Duration.ofMinutes(30));
      System.out.printf(
          Locale.ROOT,
          "%d apps x 1 replica Ready after %.1f s; STEADY_POLL %d s; settling for 3 intervals%n",
          apps,
          (System.nanoTime() - start) / 1e9,
          pollSeconds);
      Thread.sleep(poll.multipliedBy(3).toMillis());

      KubeWrites writes = new KubeWrites(cluster.client);
      ReconcileMeters reconcilesBefore = new ReconcileMeters(cluster.operator.registry());
      cluster.simulator.requestLog().clear();
      Instant from = Instant.now();
      Thread.sleep(poll.multipliedBy(intervals).toMillis());
      Instant to = Instant.now();
      ReconcileMeters reconcilesAfter = new ReconcileMeters(cluster.operator.registry());
      writes.close();

      Map<String, long[]> byKind = new TreeMap<>();
      for (KubeWrites.Change c : writes.changes()) {
        if (!c.at().isAfter(to)) {
          byKind
              .computeIfAbsent(c.kind() + " " + c.action(), k -> new long[intervals])[
              bucket(from, c.at(), poll, intervals)]++;
        }
      }
      Map<String, long[]> byRoute = new TreeMap<>();
      for (RequestLog.Entry e : cluster.simulator.requestLog().entries()) {
        if (!e.at().isAfter(to)) {
          byRoute
              .computeIfAbsent(
                  e.method() + " " + RolloutTime.route(e.path()), k -> new long[intervals])[
              bucket(from, e.at(), poll, intervals)]++;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "window %d intervals of %d s; counts per interval:%n",
          intervals,
          pollSeconds);
      System.out.println("Kubernetes writes (watch events):" + (byKind.isEmpty() ? " none" : ""));
      byKind.forEach((k, v) -> System.out.println("  " + k + " " + row(v)));
      System.out.println("Phala Cloud requests:");
      byRoute.forEach((k, v) -> System.out.println("  " + k + " " + row(v)));
      long[] pages = byRoute.getOrDefault("GET /api/v1/cvms/paginated", new long[intervals]);
      long total = 0;
      for (long p : pages) {
        total += p;
      }
      System.out.printf(
          Locale.ROOT,
          "list pages per 100 apps per interval: %.2f (goal <= 1; %d apps = %d pages of 100)%n",
          total * 100.0 / apps / intervals,
          apps,
          (apps + 99) / 100);
      reconcilesAfter.printSince(reconcilesBefore);
    }
  }

  private static int bucket(Instant from, Instant at, Duration poll, int intervals) {
    long index = Duration.between(from, at).toNanos() / poll.toNanos();
    return (int) Math.max(0, Math.min(intervals - 1, index));
  }

  private static String row(long[] perInterval) {
    StringBuilder s = new StringBuilder();
    long total = 0;
    for (long n : perInterval) {
      s.append(String.format(Locale.ROOT, "%6d", n));
      total += n;
    }
    return String.format(Locale.ROOT, "%-30s total %d", s, total);
  }
}
