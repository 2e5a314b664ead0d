package cloud.phala.operator.bench;

import cloud.phala.operator.crd.PhalaApp;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * With N PhalaApps (1 replica each, each reading its own Secret plus one shared Secret), the time
 * from a Secret update to the first {@code PATCH /cvms/{id}/envs} the simulator receives for it:
 * (a) one app's own Secret at a time; (b) the shared Secret, all N apps at once. Each case runs
 * {@code rounds} times, so each has N x rounds samples. Each is also reported from the moment the
 * API server answered the Secret write, which leaves out the write itself.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar cloud.phala.operator.bench.SecretToPatchLatency [apps] [rounds]
 * </pre>
 */
public final class SecretToPatchLatency {
  private SecretToPatchLatency() {}

  public static void main(String[] args) {
    BenchCluster.runAndExit(args, SecretToPatchLatency::run);
  }

  private static void run(String[] args) throws Exception {
    int apps = BenchCluster.intArg(args, 0, 100);
    int rounds = BenchCluster.intArg(args, 1, 2);
    Map<String, Long> firstPatchNanos = new ConcurrentHashMap<>();
    try (BenchCluster cluster =
        BenchCluster.start(
            BenchCluster.simulator(Duration.ofMillis(200), Duration.ofMillis(100)),
            Map.of("PROGRESS_POLL", "1s", "STEADY_POLL", "60s"))) {
      cluster.simulator.addExchangeListener(
          e -> {
            if ("PATCH".equals(e.method()) && e.path().endsWith("/envs")) {
              firstPatchNanos.putIfAbsent(e.path(), System.nanoTime());
            }
          });
      cluster.secret("shared", Map.of("value", "shared-0"));
      for (int i = 0; i < apps; i++) {
        cluster.secret("own-" + i, Map.of("value", "own-0"));
        cluster.client.resource(app(i)).create();
      }
      Map<Integer, String> paths = awaitReady(cluster, apps);
      System.out.printf(Locale.ROOT, "%d apps ready%n", apps);

      long[] own = new long[apps * rounds];
      long[] ownAck = new long[apps * rounds];
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < apps; i++) {
          String path = paths.get(i);
          firstPatchNanos.remove(path);
          long start = System.nanoTime();
          cluster.secret("own-" + i, Map.of("value", "own-" + (r + 1)));
          long acked = System.nanoTime();
          long patched = awaitPatch(firstPatchNanos, path);
          own[r * apps + i] = patched - start;
          ownAck[r * apps + i] = patched - acked;
        }
        awaitReady(cluster, apps);
      }
      report("(a) own Secret, one app at a time", own);
      report("(a) from the Secret write's response", ownAck);

      long[] shared = new long[apps * rounds];
      long[] sharedAck = new long[apps * rounds];
      for (int r = 0; r < rounds; r++) {
        awaitReady(cluster, apps);
        paths.values().forEach(firstPatchNanos::remove);
        long start = System.nanoTime();
        cluster.secret("shared", Map.of("value", "shared-" + (r + 1)));
        long acked = System.nanoTime();
        for (int i = 0; i < apps; i++) {
          long patched = awaitPatch(firstPatchNanos, paths.get(i));
          shared[r * apps + i] = patched - start;
          sharedAck[r * apps + i] = patched - acked;
        }
      }
      report("(b) one shared Secret, all apps at once", shared);
      report("(b) from the Secret write's response", sharedAck);
    }
  }

  private static PhalaApp app(int i) {
    return BenchApps.app(
        "app-" + i,
        1,
        List.of(BenchApps.fromSecret("OWN", "own-" + i), BenchApps.fromSecret("SHARED", "shared")));
  }

  /** Waits until every app serves on its revision; returns each app's PATCH path. */
  private static Map<Integer, String> awaitReady(BenchCluster cluster, int apps)
      throws InterruptedException {
    Map<Integer, String> paths = new ConcurrentHashMap<>();
    for (PhalaApp app :
        cluster.awaitApps(
            apps, BenchCluster.ready(1), Duration.ofMillis(250), Duration.ofMinutes(10))) {
      int i = Integer.parseInt(app.getMetadata().getName().substring(4));
      paths.put(i, "/api/v1/cvms/" + app.getStatus().cvms.get(0).cvmId + "/envs");
    }
    return paths;
  }

  private static long awaitPatch(Map<String, Long> firstPatch, String path)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      Long at = firstPatch.get(path);
      if (at != null) {
        return at;
      }
      Thread.sleep(2);
    }
    throw new IllegalStateException("no PATCH arrived for " + path);
  }

  private static void report(String name, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "%-42s n=%d  p50 %.0f ms  p99 %.0f ms  max %.0f ms%n",
        name,
        sorted.length,
        sorted[sorted.length / 2] / 1e6,
        sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }
}
