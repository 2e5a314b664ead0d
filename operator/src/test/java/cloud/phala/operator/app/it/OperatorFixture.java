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
  final OperatorRuntime operator;
  final String namespace;

  private OperatorFixture(PhalaSimulator simulator, OperatorRuntime operator, String namespace) {
    this.simulator = simulator;
    this.operator = operator;
    this.namespace = namespace;
  }

  static OperatorFixture start(KubernetesClient client, String namespace, Duration bootTime) {
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
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.of(
                "PHALA_API_URL",
                simulator.baseUrl(),
                "PHALA_DEFAULT_CREDENTIALS",
                namespace + "/phala-api/apiKey",
                "PHALA_DEFAULT_CREDENTIALS_NAMESPACES",
                namespace,
                "WATCH_NAMESPACES",
                namespace,
                "OPERATOR_NAMESPACE",
                namespace,
                "HTTP_PORT",
                "0",
                "PROGRESS_POLL",
                "0.2s",
                "STEADY_POLL",
                "3s"));
    return new OperatorFixture(simulator, OperatorRuntime.start(config, client), namespace);
  }

  @Override
  public void close() {
    operator.close();
    simulator.close();
  }
}
