package cloud.phala.operator.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a simulator instance behaves. Boot and shutdown times set how long a CVM spends in {@code
 * starting} and in {@code shutting_down}/{@code restarting}; the seed makes ids, keys and the KMS
 * root key reproducible.
 */
public record SimulatorConfig(
    String host,
    int port,
    List<String> apiKeys,
    Duration bootTime,
    Duration shutdownTime,
    long seed,
    String gatewayDomain) {

  public static final String DEFAULT_API_KEY = "phak_simulator_local_key";

  public SimulatorConfig {
    Objects.requireNonNull(host, "host");
    apiKeys = List.copyOf(apiKeys);
    if (apiKeys.isEmpty()) {
      throw new IllegalArgumentException("at least one API key is required");
    }
    if (bootTime.isNegative() || shutdownTime.isNegative()) {
      throw new IllegalArgumentException("boot and shutdown times cannot be negative");
    }
  }

  public static SimulatorConfig defaults() {
    return new SimulatorConfig(
        "127.0.0.1",
        0,
        List.of(DEFAULT_API_KEY),
        Duration.ofSeconds(2),
        Duration.ofSeconds(1),
        1L,
        "sim.phala.local");
  }

  public SimulatorConfig withHost(String newHost) {
    return new SimulatorConfig(newHost, port, apiKeys, bootTime, shutdownTime, seed, gatewayDomain);
  }

  public SimulatorConfig withPort(int port) {
    return new SimulatorConfig(host, port, apiKeys, bootTime, shutdownTime, seed, gatewayDomain);
  }

  public SimulatorConfig withApiKeys(List<String> keys) {
    return new SimulatorConfig(host, port, keys, bootTime, shutdownTime, seed, gatewayDomain);
  }

  public SimulatorConfig withBootTime(Duration boot) {
    return new SimulatorConfig(host, port, apiKeys, boot, shutdownTime, seed, gatewayDomain);
  }

  public SimulatorConfig withShutdownTime(Duration shutdown) {
    return new SimulatorConfig(host, port, apiKeys, bootTime, shutdown, seed, gatewayDomain);
  }

  public SimulatorConfig withSeed(long newSeed) {
    return new SimulatorConfig(host, port, apiKeys, bootTime, shutdownTime, newSeed, gatewayDomain);
  }
}
