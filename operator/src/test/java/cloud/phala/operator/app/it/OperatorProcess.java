package cloud.phala.operator.app.it;

import cloud.phala.operator.testsupport.KubeApiServerHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * OperatorMain as a separate {@code java} process, as the chart's pod runs it: only the given
 * environment (no KUBERNETES_ or PHALA_ variables of this JVM), the admin kubeconfig of the test's
 * API server, its output in a file. The class path is this test JVM's.
 */
final class OperatorProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final Thread onExit;

  private OperatorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    // if this JVM exits first (a failsafe timeout), the process goes with it
    this.onExit = new Thread(process::destroyForcibly, "operator-process-stop");
    Runtime.getRuntime().addShutdownHook(onExit);
  }

  static OperatorProcess start(KubeApiServerHandle server, Map<String, String> env, String name) {
    try {
      Path log = Files.createDirectories(Path.of("target", "operator-process")).resolve(name);
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "cloud.phala.operator.app.OperatorMain")
              .redirectOutput(log.toFile())
              .redirectError(
                  ProcessBuilder.Redirect.appendTo(log.resolveSibling(name + ".err").toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      Map<String, String> environment = builder.environment();
      environment.keySet().removeIf(k -> k.startsWith("KUBERNETES_") || k.startsWith("PHALA_"));
      environment.putAll(env);
      environment.put("KUBECONFIG", server.kubeConfigFile().toString());
      return new OperatorProcess(builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  int exitValue() {
    return process.exitValue();
  }

  /** Where its standard output goes; standard error goes next to it, in {@code <name>.err}. */
  Path log() {
    return log;
  }

  /** Its standard output so far, line by line. */
  List<String> lines() {
    try {
      return Files.readAllLines(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM, as a pod's termination sends it; its exit status (-1 if it ignored it 30 s). */
  int terminate() throws InterruptedException {
    process.destroy();
    return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }
}
