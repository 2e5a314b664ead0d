package cloud.phala.operator.app.sim;

import cloud.phala.operator.app.sync.PassHook;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaCloudConfig;
import cloud.phala.operator.cloud.PhalaExchange;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.SimulatorConfig;
import cloud.phala.operator.simulator.http.ApiAnswer;
import cloud.phala.operator.simulator.time.VirtualTime;
import java.io.IOException;
import java.time.Clock;
import java.util.Random;

/**
 * The simulator in process on virtual time, and clients that reach it without a socket: each
 * request is a call into its dispatcher, each wait (backoff, {@code Retry-After}) moves virtual
 * time on, which runs the CVM lifecycle timers that fall due.
 */
final class SimulatedCloud implements AutoCloseable {
  static final String API_URL = "http://phala.sim/api/v1";

  private final VirtualTime time = new VirtualTime();
  private final PhalaSimulator simulator;
  private final Random jitter;
  private final OtherApps others;
  private ReadGuard guard = new ReadGuard(PassHook.NONE);
  private BusyGuard busy;

  SimulatedCloud(long seed) {
    this.simulator = PhalaSimulator.inProcess(SimulatorConfig.defaults(), time, seed);
    this.jitter = new Random(seed ^ 0x5DEECE66DL);
    this.others = new OtherApps(simulator.world());
    this.busy = new BusyGuard(simulator.world(), others, PassHook.NONE);
  }

  /** The guards of the operator instance whose pass runs now. */
  void guardedBy(ReadGuard guard, BusyGuard busy) {
    this.guard = guard;
    this.busy = busy;
  }

  /** The account's other apps, which the operator does not manage. */
  OtherApps others() {
    return others;
  }

  PhalaSimulator simulator() {
    return simulator;
  }

  VirtualTime time() {
    return time;
  }

  Clock clock() {
    return time.clock();
  }

  String apiKey() {
    return simulator.apiKey();
  }

  /** A client of {@code apiKey}, as the operator's {@code CloudClients} would make it. */
  PhalaCloudClient client(String apiKey) {
    return PhalaCloudClient.builder(PhalaCloudConfig.of(API_URL, apiKey))
        .exchange(this::exchange)
        .sleeper(time::advance)
        .clock(time.clock())
        .random(jitter)
        .build();
  }

  private PhalaExchange.Reply exchange(
      String method,
      String path,
      java.util.Map<String, java.util.List<String>> headers,
      byte[] body)
      throws IOException {
    guard.request(method, path);
    busy.request(method, path);
    others.request(method, path);
    ApiAnswer answer = simulator.dispatcher().handle(method, "/api/v1" + path, headers, body);
    if (!answer.answered()) {
      throw new IOException("the simulator closed the connection without an answer");
    }
    return new PhalaExchange.Reply(answer.status(), answer.headers(), answer.body());
  }

  @Override
  public void close() {
    simulator.close();
    time.close();
  }
}
