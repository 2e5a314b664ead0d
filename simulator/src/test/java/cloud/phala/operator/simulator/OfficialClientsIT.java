package cloud.phala.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official npm clients, unchanged, against the simulator: {@code src/test/node} pins the SDK
 * ({@code @phala/cloud}) and the CLI ({@code phala}) in its lockfile and drives them with {@code
 * node --test}. Needs Node.js 20+ and npm on the PATH; the first run installs the packages with
 * {@code npm ci}. Every response the clients got must also match the official OpenAPI document.
 */
class OfficialClientsIT {
  private static final Path NODE_PROJECT = Path.of("src", "test", "node").toAbsolutePath();
  private static final Path INSTALLED_LOCK = NODE_PROJECT.resolve("node_modules/.lockfile.sha256");
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final boolean WINDOWS = System.getProperty("os.name").startsWith("Windows");

  @Test
  void theOfficialSdkAndCliWorkUnchangedAgainstTheSimulator() throws Exception {
    requireNode();
    installClients();
    SimulatorConfig config =
        SimulatorConfig.defaults()
            .withBootTime(Duration.ofMillis(200))
            .withShutdownTime(Duration.ofMillis(200));
    List<String> violations = new CopyOnWriteArrayList<>();
    try (PhalaSimulator simulator = PhalaSimulator.start(config)) {
      // Only the simulator's answers are checked: the clients' own requests are what they are
      // (the CLI sends kms "PHALA" where the document lists lower case).
      simulator.addExchangeListener(
          e ->
              OpenApiContract.get().violations(e).stream()
                  .filter(v -> !v.contains(" request: "))
                  .forEach(violations::add));

      int exit =
          run(
              List.of("node", "--test", "--test-reporter=spec"),
              Map.of(
                  "PHALA_CLOUD_API_PREFIX", simulator.baseUrl(),
                  "PHALA_CLOUD_API_KEY", simulator.apiKey()));

      assertThat(exit).as("exit code of node --test (its report is above)").isZero();
    }
    assertThat(violations).as("responses that drift from the official OpenAPI").isEmpty();
  }

  private static void requireNode() throws InterruptedException {
    String needed =
        "Node.js 20+ with npm must be on the PATH: this test runs the official Phala Cloud"
            + " clients (npm packages) against the simulator";
    int exit = -1;
    try {
      exit =
          run(
              List.of(
                  "node",
                  "-e",
                  "console.log('node ' + process.version);"
                      + " process.exit(parseInt(process.versions.node) >= 20 ? 0 : 1)"),
              Map.of());
    } catch (IOException notFound) {
      fail(needed + " (" + notFound.getMessage() + ")", notFound);
    }
    assertThat(exit).as(needed).isZero();
  }

  /** {@code npm ci}, unless node_modules was installed from this very lockfile. */
  private static void installClients() throws IOException, InterruptedException {
    String lock = sha256(NODE_PROJECT.resolve("package-lock.json"));
    if (Files.isRegularFile(INSTALLED_LOCK) && Files.readString(INSTALLED_LOCK).equals(lock)) {
      return;
    }
    String npm = WINDOWS ? "npm.cmd" : "npm";
    assertThat(run(List.of(npm, "ci", "--no-audit", "--no-fund"), Map.of()))
        .as("exit code of npm ci in " + NODE_PROJECT)
        .isZero();
    Files.writeString(INSTALLED_LOCK, lock);
  }

  /** Runs a command in the node project, streaming its output into the test log. */
  private static int run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    System.out.println("$ " + String.join(" ", command));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(NODE_PROJECT.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    Thread pump = new Thread(() -> stream(process), "output of " + command.get(0));
    pump.start();
    if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      fail(String.join(" ", command) + " did not finish within " + TIMEOUT);
    }
    pump.join();
    return process.exitValue();
  }

  private static void stream(Process process) {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      out.lines().forEach(System.out::println);
    } catch (IOException | UncheckedIOException closed) {
      // the process was killed after a timeout
    }
  }

  private static String sha256(Path file) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
