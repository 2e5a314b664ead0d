package cloud.phala.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A simulator per test class, reset before each test. Every exchange is checked against the
 * official OpenAPI document; a test fails if any response (or request) it caused drifts from it.
 */
final class SimulatorExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final SimulatorConfig config;
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private PhalaSimulator simulator;

  SimulatorExtension(Duration bootTime, Duration shutdownTime) {
    this.config =
        SimulatorConfig.defaults()
            .withBootTime(bootTime)
            .withShutdownTime(shutdownTime)
            .withSeed(42);
  }

  static SimulatorExtension instant() {
    return new SimulatorExtension(Duration.ZERO, Duration.ZERO);
  }

  PhalaSimulator simulator() {
    return simulator;
  }

  SimClient client() {
    return new SimClient(simulator.rootUrl(), simulator.apiKey());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    simulator = PhalaSimulator.start(config);
    simulator.addExchangeListener(e -> violations.addAll(OpenApiContract.get().violations(e)));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    client().post("/_sim/reset", null);
    violations.clear();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    assertThat(violations).as("responses that drift from the official OpenAPI").isEmpty();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    simulator.close();
  }
}
