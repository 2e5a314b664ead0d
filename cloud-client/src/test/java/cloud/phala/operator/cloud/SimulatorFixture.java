package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.simulator.OpenApiContract;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A simulator per test class, reset per test, with every request the client sends (and every
 * answer) checked against the official OpenAPI document.
 */
final class SimulatorFixture
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private PhalaSimulator simulator;

  PhalaSimulator simulator() {
    return simulator;
  }

  PhalaCloudClient client(RetryPolicy policy, ApiCallObserver observer, Sleeper sleeper) {
    return new PhalaCloudClient(
        PhalaCloudConfig.of(simulator.baseUrl(), simulator.apiKey()).withRetryPolicy(policy),
        observer,
        sleeper);
  }

  PhalaCloudClient client() {
    return client(RetryPolicy.defaults(), ApiCallObserver.NONE, d -> {});
  }

  /** A one-replica app named {@code name} with env API_KEY=x, once its CVM serves. */
  Cvm deployServing(String name) {
    PhalaCloudClient client = client();
    EnvSet env = EnvSet.builder().put("API_KEY", "x").build();
    Provisioned p =
        client.provision(
            new ProvisionRequest(
                name,
                "services:\n  app:\n    image: nginx\n",
                null,
                env.keys(),
                "tdx.small",
                40,
                null));
    Cvm created =
        client.commit(
            p.appId(),
            p.composeHash(),
            EnvSealer.seal(EnvPublicKey.fromHex(p.envPublicKey()), env),
            env.keys());
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.getCvm(created.vmUuid()), Cvm::isServing);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    simulator =
        PhalaSimulator.start(
            SimulatorConfig.defaults().withBootTime(Duration.ZERO).withShutdownTime(Duration.ZERO));
    simulator.addExchangeListener(e -> violations.addAll(OpenApiContract.get().violations(e)));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    simulator.world().reset();
    simulator.faults().clear();
    simulator.requestLog().clear();
    violations.clear();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    assertThat(violations).as("requests or answers that drift from the official OpenAPI").isEmpty();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    simulator.close();
  }
}
