package cloud.phala.operator.bench;

import cloud.phala.operator.app.OperatorRuntime;
import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.SimulatorConfig;
import cloud.phala.operator.testsupport.CrdInstaller;
import cloud.phala.operator.testsupport.SharedKubeApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * The setup every scale benchmark shares: the real kube-apiserver + etcd, the CRDs, namespace
 * {@value #NS}, the in-process simulator and the operator in this JVM, watching {@value #NS} with
 * the simulator's API key as its default credentials.
 */
final class BenchCluster implements AutoCloseable {
  static final String NS = "bench";

  final KubernetesClient client;
  final PhalaSimulator simulator;
  final OperatorRuntime operator;
  final OperatorConfig config;

  private BenchCluster(
      KubernetesClient client,
      PhalaSimulator simulator,
      OperatorRuntime operator,
      OperatorConfig config) {
    this.client = client;
    this.simulator = simulator;
    this.operator = operator;
    this.config = config;
  }

  /** Starts everything; {@code settings} are operator environment variables on top of the base. */
  static BenchCluster start(SimulatorConfig simulatorConfig, Map<String, String> settings) {
    KubernetesClient client = SharedKubeApiServer.get().newAdminClient();
    CrdInstaller.installGeneratedAnd(client);
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    PhalaSimulator simulator = PhalaSimulator.start(simulatorConfig);
    BenchCluster cluster = new BenchCluster(client, simulator, null, null);
    cluster.secret("phala-api", Map.of("apiKey", simulator.apiKey()));
    Map<String, String> env = new HashMap<>();
    env.put("PHALA_API_URL", simulator.baseUrl());
    env.put("PHALA_DEFAULT_CREDENTIALS", NS + "/phala-api/apiKey");
    env.put("PHALA_DEFAULT_CREDENTIALS_NAMESPACES", NS);
    env.put("WATCH_NAMESPACES", NS);
    env.put("OPERATOR_NAMESPACE", NS);
    env.put("HTTP_PORT", "0");
    env.putAll(settings);
    // -Doperator.RECONCILE_THREADS=100 and the like override the benchmark's settings
    System.getProperties().stringPropertyNames().stream()
        .filter(n -> n.startsWith("operator."))
        .forEach(n -> env.put(n.substring("operator.".length()), System.getProperty(n)));
    System.out.println("operator settings: " + new java.util.TreeMap<>(settingsShown(env)));
    OperatorConfig config = OperatorConfig.fromEnvironment(env);
    OperatorRuntime operator = OperatorRuntime.start(config, client);
    return new BenchCluster(client, simulator, operator, config);
  }

  private static Map<String, String> settingsShown(Map<String, String> env) {
    Map<String, String> shown = new HashMap<>(env);
    shown
        .keySet()
        .removeIf(
            k -> k.startsWith("PHALA_") || k.endsWith("NAMESPACE") || k.endsWith("NAMESPACES"));
    return shown;
  }

  /** A benchmark's body. */
  interface Body {
    void run(String[] args) throws Exception;
  }

  /**
   * Runs a benchmark main and exits the JVM (the API server and informers keep threads alive):
   * status 0, or 1 after printing what was thrown.
   */
  static void runAndExit(String[] args, Body body) {
    int status = 0;
    try {
      body.run(args);
    } catch (Throwable t) {
      t.printStackTrace();
      status = 1;
    } finally {
      System.out.flush();
      System.exit(status);
    }
  }

  /** Argument {@code i} as an int, or {@code fallback} if there are fewer arguments. */
  static int intArg(String[] args, int i, int fallback) {
    return args.length > i ? Integer.parseInt(args[i]) : fallback;
  }

  /** A simulator with these boot and shutdown times and default settings otherwise. */
  static SimulatorConfig simulator(Duration boot, Duration shutdown) {
    return SimulatorConfig.defaults().withBootTime(boot).withShutdownTime(shutdown);
  }

  /** Creates or updates Secret {@code name} in {@value #NS} with these string values. */
  void secret(String name, Map<String, String> data) {
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

  /** Creates the resources with {@code threads} requests in flight. */
  void createAll(List<? extends HasMetadata> resources, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (HasMetadata resource : resources) {
        done.add(pool.submit(() -> client.resource(resource).create()));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /** Polls until {@code count} PhalaApps in {@value #NS} match; returns them. */
  List<PhalaApp> awaitApps(int count, Predicate<PhalaApp> done, Duration every, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int matched = 0;
    while (System.nanoTime() < deadline) {
      List<PhalaApp> apps = client.resources(PhalaApp.class).inNamespace(NS).list().getItems();
      List<PhalaApp> matching = apps.stream().filter(done).toList();
      matched = matching.size();
      if (matched >= count) {
        return matching;
      }
      Thread.sleep(every.toMillis());
    }
    throw new IllegalStateException(
        "after " + timeout + " only " + matched + " of " + count + " PhalaApps were done");
  }

  /** Serving on its current revision: all replicas updated, phase Ready. */
  static Predicate<PhalaApp> ready(int replicas) {
    return app ->
        app.getStatus() != null
            && (replicas + "/" + replicas).equals(app.getStatus().ready)
            && "Ready".equals(app.getStatus().phase);
  }

  /** Heap in use after a few full collections, in bytes (the whole JVM). */
  static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static double mib(long bytes) {
    return bytes / 1048576.0;
  }

  @Override
  public void close() {
    if (operator != null) {
      operator.close();
    }
    simulator.close();
  }
}
