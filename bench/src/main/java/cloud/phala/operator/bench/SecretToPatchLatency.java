package cloud.phala.operator.bench;

import cloud.phala.operator.app.OperatorRuntime;
import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.crd.ContentSource;
import cloud.phala.operator.crd.EnvVarSource;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.SecretKeySelector;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.SimulatorConfig;
import cloud.phala.operator.testsupport.CrdInstaller;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.SharedKubeApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * With N PhalaApps (1 replica each, each reading its own Secret plus one shared Secret), the time
 * from a Secret update to the first {@code PATCH /cvms/{id}/envs} the simulator receives for it:
 * (a) one app's own Secret at a time, N samples; (b) the shared Secret, all N apps at once.
 *
 * <pre>java -cp bench/target/benchmarks.jar cloud.phala.operator.bench.SecretToPatchLatency [apps]
 * </pre>
 */
public final class SecretToPatchLatency {
  private static final String NS = "bench";

  private SecretToPatchLatency() {}

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } finally {
      System.exit(0);
    }
  }

  private static void run(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    KubeApiServerHandle server = SharedKubeApiServer.get();
    KubernetesClient client = server.newAdminClient();
    CrdInstaller.installGeneratedAnd(client);
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    Map<String, Long> firstPatchNanos = new ConcurrentHashMap<>();
    try (PhalaSimulator simulator =
            PhalaSimulator.start(
                SimulatorConfig.defaults()
                    .withBootTime(Duration.ofMillis(200))
                    .withShutdownTime(Duration.ofMillis(100)));
        OperatorRuntime operator = OperatorRuntime.start(config(simulator), client)) {
      simulator.addExchangeListener(
          e -> {
            if ("PATCH".equals(e.method()) && e.path().endsWith("/envs")) {
              firstPatchNanos.putIfAbsent(e.path(), System.nanoTime());
            }
          });
      secret(client, "phala-api", Map.of("apiKey", simulator.apiKey()));
      secret(client, "shared", Map.of("value", "shared-0"));
      for (int i = 0; i < apps; i++) {
        secret(client, "own-" + i, Map.of("value", "own-0"));
        client.resource(app(i)).create();
      }
      Map<Integer, String> paths = awaitReady(client, apps);
      System.out.printf(Locale.ROOT, "%d apps ready%n", apps);

      long[] own = new long[apps];
      for (int i = 0; i < apps; i++) {
        String path = paths.get(i);
        firstPatchNanos.remove(path);
        long start = System.nanoTime();
        secret(client, "own-" + i, Map.of("value", "own-1"));
        own[i] = awaitPatch(firstPatchNanos, path) - start;
      }
      report("(a) own Secret, one app at a time", own);

      awaitReady(client, apps);
      paths.values().forEach(firstPatchNanos::remove);
      long start = System.nanoTime();
      secret(client, "shared", Map.of("value", "shared-1"));
      long[] shared = new long[apps];
      for (int i = 0; i < apps; i++) {
        shared[i] = awaitPatch(firstPatchNanos, paths.get(i)) - start;
      }
      report("(b) one shared Secret, all apps at once", shared);
    }
  }

  private static OperatorConfig config(PhalaSimulator simulator) {
    return OperatorConfig.fromEnvironment(
        Map.of(
            "PHALA_API_URL",
            simulator.baseUrl(),
            "PHALA_DEFAULT_CREDENTIALS",
            NS + "/phala-api/apiKey",
            "PHALA_DEFAULT_CREDENTIALS_NAMESPACES",
            NS,
            "WATCH_NAMESPACES",
            NS,
            "OPERATOR_NAMESPACE",
            NS,
            "HTTP_PORT",
            "0",
            "PROGRESS_POLL",
            "1s",
            "STEADY_POLL",
            "60s"));
  }

  private static PhalaApp app(int i) {
    PhalaApp app = new PhalaApp();
    app.getMetadata().setName("app-" + i);
    app.getMetadata().setNamespace(NS);
    PhalaAppSpec spec = new PhalaAppSpec();
    spec.replicas = 1;
    spec.compose = new ContentSource();
    spec.compose.inline =
        "services:\n  a:\n    environment:\n      - OWN=${OWN}\n      - SHARED=${SHARED}\n";
    spec.env = List.of(fromSecret("OWN", "own-" + i), fromSecret("SHARED", "shared"));
    app.setSpec(spec);
    return app;
  }

  private static EnvVarSource fromSecret(String name, String secret) {
    EnvVarSource var = new EnvVarSource();
    var.name = name;
    var.valueFrom = new EnvVarSource.ValueFrom();
    var.valueFrom.secretKeyRef = new SecretKeySelector();
    var.valueFrom.secretKeyRef.name = secret;
    var.valueFrom.secretKeyRef.key = "value";
    return var;
  }

  private static void secret(KubernetesClient client, String name, Map<String, String> data) {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .endMetadata()
                .withStringData(data)
                .build())
        .serverSideApply();
  }

  /** Waits until every app serves on its revision; returns each app's PATCH path. */
  private static Map<Integer, String> awaitReady(KubernetesClient client, int apps)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      Map<Integer, String> paths = new ConcurrentHashMap<>();
      for (PhalaApp app : client.resources(PhalaApp.class).inNamespace(NS).list().getItems()) {
        if (app.getStatus() != null
            && "1/1".equals(app.getStatus().ready)
            && "Ready".equals(app.getStatus().phase)) {
          int i = Integer.parseInt(app.getMetadata().getName().substring(4));
          paths.put(i, "/api/v1/cvms/" + app.getStatus().cvms.get(0).cvmId + "/envs");
        }
      }
      if (paths.size() == apps) {
        return paths;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("apps did not become ready");
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
