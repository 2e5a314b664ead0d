package cloud.phala.operator.simulator;

import cloud.phala.operator.simulator.api.CloudApi;
import cloud.phala.operator.simulator.api.DstackVerifierRoutes;
import cloud.phala.operator.simulator.attest.Attestations;
import cloud.phala.operator.simulator.attest.DstackVerifier;
import cloud.phala.operator.simulator.attest.TestRoot;
import cloud.phala.operator.simulator.cloud.World;
import cloud.phala.operator.simulator.hooks.FaultPlan;
import cloud.phala.operator.simulator.hooks.SimRoutes;
import cloud.phala.operator.simulator.http.ApiDispatcher;
import cloud.phala.operator.simulator.http.HttpApi;
import cloud.phala.operator.simulator.http.RecordedExchange;
import cloud.phala.operator.simulator.http.RequestLog;
import cloud.phala.operator.simulator.http.Response;
import cloud.phala.operator.simulator.http.Router;
import cloud.phala.operator.simulator.time.SimTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * A local Phala Cloud: the REST API, a KMS and the CVM lifecycle, in memory. Start one per test
 * (port 0 picks a free port) or run {@link SimulatorMain}, and point clients at {@link #baseUrl()}
 * with {@link #apiKey()}. Or build one {@link #inProcess in process}, on time a test controls, and
 * send it requests through {@link #dispatcher()} without any socket.
 */
public final class PhalaSimulator implements AutoCloseable {
  private final SimulatorConfig config;
  private final World world;
  private final FaultPlan faults;
  private final Attestations attestations;
  private final ApiDispatcher dispatcher;
  private final Router router;
  private HttpApi http;

  private PhalaSimulator(SimulatorConfig config, World world) {
    this.config = config;
    this.world = world;
    this.faults = new FaultPlan(world, config.seed());
    world.setFaults(faults);
    this.router = new Router();
    this.attestations = new Attestations(new TestRoot(), faults, world.kms().caIdentity());
    CloudApi.register(router, world, attestations);
    DstackVerifierRoutes.register(
        router, new DstackVerifier(attestations.root(), faults, world::listApp));
    router.add(
        "GET",
        "/_sim/attestation-root",
        r ->
            Response.ok(
                java.util.Map.of(
                    "algorithm",
                    TestRoot.ALGORITHM,
                    "public_key_x509",
                    java.util.HexFormat.of()
                        .formatHex(attestations.root().publicKey().getEncoded()),
                    "note",
                    "simulator test root, not Intel's")));
    this.dispatcher = new ApiDispatcher(config.apiKeys(), router, world.time());
    new SimRoutes(world, faults, dispatcher.requestLog()).register(router);
    dispatcher.setFaults(faults);
  }

  /** A simulator on real time, serving HTTP on {@code config.host()} and {@code config.port()}. */
  public static PhalaSimulator start(SimulatorConfig config) {
    PhalaSimulator simulator = new PhalaSimulator(config, new World(config));
    try {
      simulator.http = new HttpApi(config.host(), config.port(), simulator.dispatcher);
      simulator.http.start();
      return simulator;
    } catch (IOException e) {
      simulator.close();
      throw new UncheckedIOException("could not start the simulator on port " + config.port(), e);
    }
  }

  /**
   * A simulator with no server: requests go to {@link #dispatcher()}, CVMs change state as {@code
   * time} moves, and ids and fault draws follow {@code config.seed()}. The caller keeps {@code
   * time}; host and port in {@code config} are not used.
   */
  public static PhalaSimulator inProcess(SimulatorConfig config, SimTime time) {
    return new PhalaSimulator(config, new World(config, time));
  }

  /** {@link #inProcess(SimulatorConfig, SimTime)} with {@code seed} in place of the config's. */
  public static PhalaSimulator inProcess(SimulatorConfig config, SimTime time, long seed) {
    return inProcess(config.withSeed(seed), time);
  }

  /** {@code http://host:port/api/v1}, the prefix the official clients take. */
  public String baseUrl() {
    return rootUrl() + "/api/v1";
  }

  public String rootUrl() {
    return "http://" + config.host() + ":" + port();
  }

  /** The base URL of the dstack verifier stand-in (no API key), for DSTACK_VERIFIER_URL. */
  public String dstackVerifierUrl() {
    return rootUrl() + DstackVerifierRoutes.PREFIX;
  }

  public int port() {
    if (http == null) {
      throw new IllegalStateException("an in-process simulator has no port; use dispatcher()");
    }
    return http.port();
  }

  public String apiKey() {
    return config.apiKeys().get(0);
  }

  public World world() {
    return world;
  }

  public SimTime time() {
    return world.time();
  }

  /** The test root that signs this simulator's quotes (not Intel's). */
  public TestRoot attestationRoot() {
    return attestations.root();
  }

  public FaultPlan faults() {
    return faults;
  }

  /** Serves a request without a socket: paths are the server's, e.g. {@code /api/v1/cvms}. */
  public ApiDispatcher dispatcher() {
    return dispatcher;
  }

  public RequestLog requestLog() {
    return dispatcher.requestLog();
  }

  /** Every route served, as {@code METHOD /template}. */
  public List<String> routes() {
    return router.describe();
  }

  /** Sees every request and response in full; for conformance tests. */
  public void addExchangeListener(Consumer<RecordedExchange> listener) {
    dispatcher.addExchangeListener(listener);
  }

  @Override
  public void close() {
    if (http != null) {
      http.close();
    }
    world.close();
  }
}
