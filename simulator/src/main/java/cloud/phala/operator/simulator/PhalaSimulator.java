package cloud.phala.operator.simulator;

import cloud.phala.operator.simulator.api.CloudApi;
import cloud.phala.operator.simulator.cloud.World;
import cloud.phala.operator.simulator.hooks.FaultPlan;
import cloud.phala.operator.simulator.hooks.SimRoutes;
import cloud.phala.operator.simulator.http.HttpApi;
import cloud.phala.operator.simulator.http.RecordedExchange;
import cloud.phala.operator.simulator.http.RequestLog;
import cloud.phala.operator.simulator.http.Router;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * A local Phala Cloud: the REST API, a KMS and the CVM lifecycle, in memory. Start one per test
 * (port 0 picks a free port) or run {@link SimulatorMain}. Point clients at {@link #baseUrl()} with
 * {@link #apiKey()}.
 */
public final class PhalaSimulator implements AutoCloseable {
  private final SimulatorConfig config;
  private final World world;
  private final FaultPlan faults;
  private final HttpApi http;
  private final Router router;

  private PhalaSimulator(SimulatorConfig config) throws IOException {
    this.config = config;
    this.world = new World(config);
    this.faults = new FaultPlan(world, config.seed());
    world.setFaults(faults);
    this.router = new Router();
    CloudApi.register(router, world);
    this.http = new HttpApi(config.host(), config.port(), config.apiKeys(), router);
    new SimRoutes(world, faults, http.requestLog()).register(router);
    http.setFaults(faults);
  }

  public static PhalaSimulator start(SimulatorConfig config) {
    try {
      PhalaSimulator simulator = new PhalaSimulator(config);
      simulator.http.start();
      return simulator;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the simulator on port " + config.port(), e);
    }
  }

  /** {@code http://host:port/api/v1}, the prefix the official clients take. */
  public String baseUrl() {
    return rootUrl() + "/api/v1";
  }

  public String rootUrl() {
    return "http://" + config.host() + ":" + http.port();
  }

  public int port() {
    return http.port();
  }

  public String apiKey() {
    return config.apiKeys().get(0);
  }

  public World world() {
    return world;
  }

  public FaultPlan faults() {
    return faults;
  }

  public RequestLog requestLog() {
    return http.requestLog();
  }

  /** Every route served, as {@code METHOD /template}. */
  public List<String> routes() {
    return router.describe();
  }

  /** Sees every request and response in full; for conformance tests. */
  public void addExchangeListener(Consumer<RecordedExchange> listener) {
    http.addExchangeListener(listener);
  }

  @Override
  public void close() {
    http.close();
    world.close();
  }
}
