package cloud.phala.operator.e2e;

import static org.awaitility.Awaitility.await;

import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crypto.EnvVar;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.SimulatorConfig;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the e2e tests share: a fast simulator, Secrets, and waiting for a PhalaApp. */
final class Fixtures {
  private Fixtures() {}

  /** A simulator whose CVMs boot in 300 ms and stop in 100 ms. */
  static PhalaSimulator fastSimulator() {
    return PhalaSimulator.start(
        SimulatorConfig.defaults()
            .withBootTime(Duration.ofMillis(300))
            .withShutdownTime(Duration.ofMillis(100)));
  }

  static void secret(
      KubernetesClient admin, String namespace, String name, Map<String, String> data) {
    admin
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(data)
                .build())
        .serverSideApply();
  }

  static PhalaApp get(KubernetesClient admin, String namespace, String name) {
    return admin.resources(PhalaApp.class).inNamespace(namespace).withName(name).get();
  }

  /** Waits until every replica runs a revision other than {@code notRevision} (null: any). */
  static PhalaApp awaitReady(
      KubernetesClient admin, String namespace, String name, int replicas, String notRevision) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> get(admin, namespace, name),
            app ->
                app != null
                    && app.getStatus() != null
                    && Integer.valueOf(replicas).equals(app.getStatus().updatedReplicas)
                    && !app.getStatus().envRevision.equals(notRevision));
  }

  /** The env a CVM booted with, by name. */
  static Map<String, String> booted(PhalaSimulator simulator, String cvmId) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : simulator.world().get(cvmId).bootedEnv()) {
      env.put(var.key(), var.value());
    }
    return env;
  }

  /** The operator's settings for one test namespace, with the simulator's key as its default. */
  static OperatorConfig operatorConfig(TestNamespace ns, PhalaSimulator simulator) {
    return OperatorConfig.fromEnvironment(
        Map.of(
            "PHALA_API_URL", simulator.baseUrl(),
            "PHALA_DEFAULT_CREDENTIALS", ns.name() + "/phala-api/apiKey",
            "PHALA_DEFAULT_CREDENTIALS_NAMESPACES", ns.name(),
            "WATCH_NAMESPACES", ns.name(),
            "OPERATOR_NAMESPACE", ns.name(),
            "HTTP_PORT", "0",
            "PROGRESS_POLL", "0.3s"));
  }
}
