package cloud.phala.operator.bench;

import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.simulator.cloud.AvailabilityPoint;
import cloud.phala.operator.simulator.http.RequestLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Wall time of rotating one Secret shared by N PhalaApps of R replicas each (maxUnavailable 1,
 * maxSurge 0), against the ideal R x (shutdown + boot): every app restarts its replicas one after
 * another, and apps proceed in parallel. The end is read two ways: the simulator's availability
 * timeline (the last moment every CVM of every app is serving again) and the first poll that finds
 * every PhalaApp Ready on the new revision. Also checks that no app ever had fewer than R - 1
 * serving after it first had R, and reports heap in use after GC (whole JVM: operator, simulator,
 * benchmark driver).
 *
 * <pre>
 * java -Xmx1g -cp bench/target/benchmarks.jar cloud.phala.operator.bench.RolloutTime \
 *     apps replicas bootMs shutdownMs [PROGRESS_POLL]
 * </pre>
 */
public final class RolloutTime {
  private RolloutTime() {}

  public static void main(String[] args) {
    BenchCluster.runAndExit(args, RolloutTime::run);
  }

  private static void run(String[] args) throws Exception {
    int apps = Integer.parseInt(args[0]);
    int replicas = Integer.parseInt(args[1]);
    Duration boot = Duration.ofMillis(Long.parseLong(args[2]));
    Duration shutdown = Duration.ofMillis(Long.parseLong(args[3]));
    Map<String, String> settings = args.length > 4 ? Map.of("PROGRESS_POLL", args[4]) : Map.of();
    Duration every = Duration.ofMillis(apps > 50 ? 500 : 50);
    try (BenchCluster cluster =
        BenchCluster.start(BenchCluster.simulator(boot, shutdown), settings)) {
      System.out.printf(
          Locale.ROOT,
          "%d apps x %d replicas, boot %d ms, shutdown %d ms, settings %s, max heap %.0f MiB%n",
          apps,
          replicas,
          boot.toMillis(),
          shutdown.toMillis(),
          settings,
          BenchCluster.mib(Runtime.getRuntime().maxMemory()));
      cluster.secret("shared", Map.of("value", "v0"));
      List<PhalaApp> created = new ArrayList<>();
      for (int i = 0; i < apps; i++) {
        created.add(
            BenchApps.app("app-" + i, replicas, List.of(BenchApps.fromSecret("SHARED", "shared"))));
      }
      long start = System.nanoTime();
      cluster.createAll(created, 8);
      List<PhalaApp> ready =
          cluster.awaitApps(
              apps, BenchCluster.ready(replicas), Duration.ofSeconds(1), Duration.ofMinutes(40));
      System.out.printf(
          Locale.ROOT,
          "deployed and Ready: %.1f s; heap used after GC %.1f MiB%n",
          (System.nanoTime() - start) / 1e9,
          BenchCluster.mib(BenchCluster.usedHeapAfterGc()));
      Map<String, String> oldRevision = new HashMap<>();
      Map<String, String> appIds = new HashMap<>();
      Map<String, String> appOfCvm = new HashMap<>();
      for (PhalaApp app : ready) {
        oldRevision.put(app.getMetadata().getName(), app.getStatus().envRevision);
        appIds.put(app.getMetadata().getName(), app.getStatus().appId);
        app.getStatus().cvms.forEach(c -> appOfCvm.put(c.cvmId, app.getMetadata().getName()));
      }
      Thread.sleep(2000);
      double rate =
          WriteRateBaseline.measure(
              cluster.client,
              ready.get(0),
              cluster.config.throughput().reconcileThreads(),
              Duration.ofSeconds(10));
      System.out.printf(Locale.ROOT, "load average at the Secret write: %.2f%n", Cpu.load());
      cluster.simulator.requestLog().clear();

      KubeWrites writes = new KubeWrites(cluster.client);
      ReconcileMeters metersBefore = new ReconcileMeters(cluster.operator.registry());
      Instant writeAt = Instant.now();
      long t0 = System.nanoTime();
      long cpu0 = Cpu.jvm();
      long children0 = Cpu.children();
      cluster.secret("shared", Map.of("value", "v1"));
      Predicate<PhalaApp> rotated =
          BenchCluster.ready(replicas)
              .and(
                  a ->
                      a.getStatus().envRevision != null
                          && !a.getStatus()
                              .envRevision
                              .equals(oldRevision.get(a.getMetadata().getName())));
      cluster.awaitApps(apps, rotated, every, Duration.ofMinutes(30));
      double statusSeconds = (System.nanoTime() - t0) / 1e9;
      writes.close();
      ReconcileMeters metersAfter = new ReconcileMeters(cluster.operator.registry());
      Map<String, Integer> writeCounts = new TreeMap<>();
      writes
          .changes()
          .forEach(c -> writeCounts.merge(c.kind() + " " + c.action(), 1, Integer::sum));
      double jvmCores = (Cpu.jvm() - cpu0) / 1e9 / statusSeconds;
      double childCores = (Cpu.children() - children0) / 1e9 / statusSeconds;

      double timelineSeconds = 0;
      int minServing = Integer.MAX_VALUE;
      String worstApp = null;
      for (Map.Entry<String, String> app : appIds.entrySet()) {
        List<AvailabilityPoint> points = cluster.simulator.world().timeline(app.getValue());
        boolean fullSeen = false;
        for (AvailabilityPoint p : points) {
          if (fullSeen && p.serving() < minServing) {
            minServing = p.serving();
            worstApp = app.getKey();
          }
          fullSeen |= p.serving() == replicas;
          if (!p.at().isBefore(writeAt) && p.serving() == replicas && p.total() == replicas) {
            timelineSeconds = Math.max(timelineSeconds, seconds(writeAt, p.at()));
          }
        }
      }
      double ideal = replicas * (boot.toMillis() + shutdown.toMillis()) / 1000.0;
      System.out.printf(
          Locale.ROOT,
          "rotation: timeline %.2f s (every CVM serving again), status %.2f s (all Ready on the"
              + " new revision, polled every %d ms)%n",
          timelineSeconds,
          statusSeconds,
          every.toMillis());
      System.out.printf(
          Locale.ROOT,
          "ideal %d x (shutdown + boot) = %.2f s; ratio timeline/ideal %.3f, status/ideal %.3f"
              + " (goal <= 1.10)%n",
          replicas,
          ideal,
          timelineSeconds / ideal,
          statusSeconds / ideal);
      System.out.printf(
          Locale.ROOT,
          "min serving after first all-serving point: %d of %d (goal >= %d)%s%n",
          minServing,
          replicas,
          replicas - 1,
          minServing < replicas - 1 ? " in " + worstApp : "");
      if (apps == 1) {
        steps(cluster, appIds.values().iterator().next(), writeAt);
      }
      requestSummary(cluster.simulator.requestLog().entries(), apps, replicas);
      if (apps > 1) {
        patchSteps(cluster.simulator.requestLog().entries(), appOfCvm, writeAt, replicas);
      }
      System.out.printf(
          Locale.ROOT,
          "Kubernetes writes during the rotation (watch events, until all Ready): %s%n",
          writeCounts);
      metersAfter.printSince(metersBefore);
      WriteRateBaseline.printGoal(
          apps,
          writeCounts.getOrDefault("PhalaApp MODIFIED", 0),
          writeCounts.getOrDefault("Event ADDED", 0),
          rate,
          ideal,
          timelineSeconds);
      System.out.printf(Locale.ROOT, "load average at the end: %.2f%n", Cpu.load());
      System.out.printf(
          Locale.ROOT,
          "CPU during the rotation (until all Ready): this JVM (operator, simulator, driver) %.2f"
              + " cores, kube-apiserver + etcd %.2f cores, of %d%n",
          jvmCores,
          childCores,
          Runtime.getRuntime().availableProcessors());
      System.out.printf(
          Locale.ROOT,
          "heap used after GC after the rotation: %.1f MiB%n",
          BenchCluster.mib(BenchCluster.usedHeapAfterGc()));
    }
  }

  /** One app's PATCHes and availability changes, in seconds after the Secret write. */
  private static void steps(BenchCluster cluster, String appId, Instant writeAt) {
    StringBuilder line = new StringBuilder("  PATCH /envs at");
    for (RequestLog.Entry e : cluster.simulator.requestLog().entries()) {
      if ("PATCH".equals(e.method())) {
        line.append(String.format(Locale.ROOT, " %.2f", seconds(writeAt, e.at())));
      }
    }
    System.out.println(line);
    line = new StringBuilder("  serving/total at");
    for (AvailabilityPoint p : cluster.simulator.world().timeline(appId)) {
      if (!p.at().isBefore(writeAt)) {
        line.append(
            String.format(
                Locale.ROOT, " %.2f:%d/%d", seconds(writeAt, p.at()), p.serving(), p.total()));
      }
    }
    System.out.println(line);
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }

  /** When the k-th PATCH of each app was sent, as quantiles over apps. */
  private static void patchSteps(
      List<RequestLog.Entry> entries, Map<String, String> appOfCvm, Instant writeAt, int replicas) {
    Map<String, List<Double>> byApp = new HashMap<>();
    for (RequestLog.Entry e : entries) {
      if ("PATCH".equals(e.method()) && e.path().endsWith("/envs")) {
        String cvm = e.path().substring("/api/v1/cvms/".length(), e.path().length() - 5);
        byApp
            .computeIfAbsent(appOfCvm.getOrDefault(cvm, cvm), k -> new ArrayList<>())
            .add(seconds(writeAt, e.at()));
      }
    }
    for (int k = 0; k < replicas; k++) {
      List<Double> at = new ArrayList<>();
      for (List<Double> times : byApp.values()) {
        if (times.size() > k) {
          times.sort(null);
          at.add(times.get(k));
        }
      }
      at.sort(null);
      if (!at.isEmpty()) {
        System.out.printf(
            Locale.ROOT,
            "  PATCH #%d of each app: n=%d, min %.2f s, p50 %.2f s, p90 %.2f s, max %.2f s after"
                + " the write%n",
            k + 1,
            at.size(),
            at.get(0),
            at.get(at.size() / 2),
            at.get((int) (at.size() * 0.9)),
            at.get(at.size() - 1));
      }
    }
  }

  /** Phala Cloud requests during the rotation, by method and route. */
  static void requestSummary(List<RequestLog.Entry> entries, int apps, int replicas) {
    Map<String, long[]> byRoute = new TreeMap<>();
    long total = 0;
    long millis = 0;
    for (RequestLog.Entry e : entries) {
      long[] c = byRoute.computeIfAbsent(e.method() + " " + route(e.path()), k -> new long[2]);
      c[0]++;
      c[1] += e.millis();
      total++;
      millis += e.millis();
    }
    byRoute.forEach(
        (route, c) ->
            System.out.printf(
                Locale.ROOT,
                "  %-44s %7d requests, %.2f per app, mean %.1f ms%n",
                route,
                c[0],
                c[0] / (double) apps,
                c[1] / (double) Math.max(1, c[0])));
    System.out.printf(
        Locale.ROOT,
        "  total %d requests (%.1f per app, %.1f per replica restart), mean %.1f ms server-side%n",
        total,
        total / (double) apps,
        total / (double) (apps * replicas),
        millis / (double) Math.max(1, total));
  }

  /** A path with its ids replaced by placeholders. */
  static String route(String path) {
    return path.replaceAll("/[0-9a-f]{8}-[0-9a-f-]{27}", "/{uuid}")
        .replaceAll("/(app_)?[0-9a-f]{40}", "/{app}")
        .replaceAll("/[0-9]+(?=/|$)", "/{n}");
  }
}
