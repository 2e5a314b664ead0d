package cloud.phala.operator.app.it;

import cloud.phala.operator.app.OperatorRuntime;
import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.SimulatorConfig;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;

/**
 * The operator in this JVM against the real API server and an in-process simulator, watching one
 * test namespace, with the simulator's API key as that namespace's default credentials.
 */
final class OperatorFixture implements AutoCloseable {
  final PhalaSimulator simulator;
  final String namespace;
  private final OperatorConfig config;
  private final Map<String, String> settings;
  private final KubernetesClient client;
  OperatorRuntime operator;
  final CrashingHook hook = new CrashingHook();

  private OperatorFixture(
      PhalaSimulator simulator,
      OperatorConfig config,
      Map<String, String> settings,
      KubernetesClient client,
      String namespace) {
    this.simulator = simulator;
    this.config = config;
    this.settings = settings;
    this.client = client;
    this.namespace = namespace;
    this.operator = OperatorRuntime.start(config, client, hook);
  }

  /** What the operator's /metrics endpoint serves now. */
  String scrapeMetrics() throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + operator.httpPort() + "/metrics"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Another operator instance on the same simulator and settings, plus {@code overrides}. */
  OperatorFixture secondInstance(Map<String, String> overrides) {
    Map<String, String> env = new java.util.HashMap<>(settings);
    env.putAll(overrides);
    return new OperatorFixture(
        simulator, OperatorConfig.fromEnvironment(env), env, client, namespace);
  }

  /** Stops only this instance's operator (the simulator may be shared). */
  void closeOperatorOnly() {
    operator.close();
  }

  /** Stops the operator as a crash or a rollout of the operator would, and starts a fresh one. */
  void restartOperator() {
    operator.close();
    operator = OperatorRuntime.start(config, client, hook);
  }

  /**
   * Kills the operator whose pass is parked in {@link #hook} (nothing after the hook's point runs)
   * and starts a fresh one.
   */
  void crashAndRestart() throws InterruptedException {
    OperatorRuntime dying = operator;
    Thread stopping = new Thread(dying::close, "stopping-operator");
    stopping.start();
    Thread.sleep(200); // informers and the executor stop first, so the released pass goes nowhere
    hook.releaseParked();
    stopping.join();
    operator = OperatorRuntime.start(config, client, hook);
  }

  static OperatorFixture start(KubernetesClient client, String namespace, Duration bootTime) {
    return start(client, namespace, bootTime, namespace);
  }

  /**
   * {@code watched}: a comma list of namespaces; only {@code namespace} may use the default key.
   */
  static OperatorFixture start(
      KubernetesClient client, String namespace, Duration bootTime, String watched) {
    return start(client, namespace, bootTime, watched, Map.of());
  }

  /** {@code extraEnv}: more operator settings, e.g. PHALA_TRUSTED_KMS_KEYS. */
  static OperatorFixture start(
      KubernetesClient client,
      String namespace,
      Duration bootTime,
      String watched,
      Map<String, String> extraEnv) {
    return start(client, namespace, bootTime, watched, simulator -> extraEnv);
  }

  /** {@code extraEnv}: settings that name the simulator, e.g. its DSTACK_VERIFIER_URL. */
  static OperatorFixture start(
      KubernetesClient client,
      String namespace,
      Duration bootTime,
      String watched,
      java.util.function.Function<PhalaSimulator, Map<String, String>> extraEnv) {
    PhalaSimulator simulator =
        PhalaSimulator.start(
            SimulatorConfig.defaults()
                .withBootTime(bootTime)
                .withShutdownTime(bootTime.dividedBy(2)));
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("phala-api")
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(Map.of("apiKey", simulator.apiKey()))
                .build())
        .serverSideApply();
    Map<String, String> env = new java.util.HashMap<>(extraEnv.apply(simulator));
    env.putAll(
        Map.of(
            "PHALA_API_URL",
            simulator.baseUrl(),
            "PHALA_DEFAULT_CREDENTIALS",
            namespace + "/phala-api/apiKey",
            "PHALA_DEFAULT_CREDENTIALS_NAMESPACES",
            namespace,
            "WATCH_NAMESPACES",
            watched,
            "OPERATOR_NAMESPACE",
            namespace,
            "HTTP_PORT",
            "0",
            "PROGRESS_POLL",
            "0.2s",
            "STEADY_POLL",
            "3s"));
    OperatorConfig config = OperatorConfig.fromEnvironment(env);
    return new OperatorFixture(simulator, config, env, client, namespace);
  }

  @Override
  public void close() {
    operator.close();
    simulator.close();
  }
}
