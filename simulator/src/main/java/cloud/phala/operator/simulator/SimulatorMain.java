package cloud.phala.operator.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator until interrupted. Flags (each also an environment variable):
 *
 * <pre>
 *   --host H            PHALA_SIM_HOST           default 127.0.0.1
 *   --port N            PHALA_SIM_PORT           default 8080 (0: any free port)
 *   --api-key K         PHALA_SIM_API_KEYS       repeatable; the variable takes a comma list
 *   --boot-time D       PHALA_SIM_BOOT_TIME      e.g. 2s, 500ms, 1m (default 2s)
 *   --shutdown-time D   PHALA_SIM_SHUTDOWN_TIME  default 1s
 *   --seed N            PHALA_SIM_SEED           ids, keys and the KMS root key derive from it
 * </pre>
 */
public final class SimulatorMain {
  private SimulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    SimulatorConfig config = parse(args);
    PhalaSimulator simulator = PhalaSimulator.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  simulator.close();
                  stopped.countDown();
                }));
    System.out.println("Phala Cloud simulator listening");
    System.out.println("  PHALA_CLOUD_API_PREFIX=" + simulator.baseUrl());
    System.out.println("  PHALA_CLOUD_API_KEY=" + simulator.apiKey());
    System.out.println("  DSTACK_VERIFIER_URL=" + simulator.dstackVerifierUrl() + " (test root)");
    System.out.println(
        "  KMS root key (k256_pubkey): " + simulator.world().kms().rootKey().toHex());
    System.out.println(
        "  boot time "
            + config.bootTime().toMillis()
            + " ms, shutdown time "
            + config.shutdownTime().toMillis()
            + " ms, seed "
            + config.seed());
    System.out.flush();
    stopped.await();
  }

  static SimulatorConfig parse(String[] args) {
    SimulatorConfig config = SimulatorConfig.defaults().withPort(8080);
    config = fromEnvironment(config);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = args[++i];
      switch (flag) {
        case "--host" -> config = config.withHost(value);
        case "--port" -> config = config.withPort(Integer.parseInt(value));
        case "--api-key" -> keys.add(value);
        case "--boot-time" -> config = config.withBootTime(duration(value));
        case "--shutdown-time" -> config = config.withShutdownTime(duration(value));
        case "--seed" -> config = config.withSeed(Long.parseLong(value));
        default -> throw new IllegalArgumentException("unknown flag " + flag);
      }
    }
    return keys.isEmpty() ? config : config.withApiKeys(keys);
  }

  private static SimulatorConfig fromEnvironment(SimulatorConfig config) {
    String host = System.getenv("PHALA_SIM_HOST");
    if (host != null) {
      config = config.withHost(host);
    }
    String port = System.getenv("PHALA_SIM_PORT");
    if (port != null) {
      config = config.withPort(Integer.parseInt(port));
    }
    String keys = System.getenv("PHALA_SIM_API_KEYS");
    if (keys != null && !keys.isBlank()) {
      config = config.withApiKeys(List.of(keys.split(",")));
    }
    String boot = System.getenv("PHALA_SIM_BOOT_TIME");
    if (boot != null) {
      config = config.withBootTime(duration(boot));
    }
    String shutdown = System.getenv("PHALA_SIM_SHUTDOWN_TIME");
    if (shutdown != null) {
      config = config.withShutdownTime(duration(shutdown));
    }
    String seed = System.getenv("PHALA_SIM_SEED");
    if (seed != null) {
      config = config.withSeed(Long.parseLong(seed));
    }
    return config;
  }

  /** {@code 250ms}, {@code 2s}, {@code 1m}, or an ISO-8601 duration such as {@code PT2S}. */
  static Duration duration(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.startsWith("pt") || t.startsWith("p")) {
      return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
    }
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    if (t.endsWith("s")) {
      return Duration.ofMillis(
          Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
    }
    if (t.endsWith("m")) {
      return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
    }
    throw new IllegalArgumentException(
        "not a duration: " + text + " (use e.g. 250ms, 2s, 1m or PT2S)");
  }
}
