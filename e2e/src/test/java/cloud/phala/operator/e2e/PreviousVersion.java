package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.testsupport.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An earlier commit of this repository, cloned (so this build's own output is not touched) and its
 * operator built with Maven in the clone, as ImageBuildE2E builds the image: with this build's own
 * local repository, never installing into it ({@code package}, not {@code install}, so the clone's
 * snapshots never replace this build's). Its chart is the clone's helm/phala-operator, and its
 * operator runs as a separate {@code java} process, as the chart's pod would run it.
 */
final class PreviousVersion implements AutoCloseable {
  /** Pinned, so the runtime class path the build writes is reproducible. */
  private static final String DEPENDENCY_PLUGIN =
      "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath";

  private final Path root;
  private final Path clone;
  private final String classPath;
  private final Duration buildTime;

  private PreviousVersion(Path root, Path clone, String classPath, Duration buildTime) {
    this.root = root;
    this.clone = clone;
    this.classPath = classPath;
    this.buildTime = buildTime;
  }

  /** Clones the repository, checks out {@code commit} and builds its operator (tests skipped). */
  static PreviousVersion build(String commit, String localRepository) throws IOException {
    assertThat(localRepository)
        .as("phala.maven.repo.local, set by e2e/pom.xml's failsafe configuration")
        .isNotBlank();
    Path root = Files.createTempDirectory("phala-previous-");
    Path clone = root.resolve("repo");
    long start = System.nanoTime();
    try {
      // a full clone: the pinned commit is not the tip of any branch
      Command.run(
              Duration.ofMinutes(2),
              List.of("git", "clone", "--quiet", "file://" + ExampleGuide.REPOSITORY, "" + clone))
          .requireSuccess();
      Command.run(
              Duration.ofMinutes(1),
              List.of("git", "-C", clone.toString(), "checkout", "--quiet", commit))
          .requireSuccess();
      Command.run(
              Duration.ofMinutes(10),
              List.of(
                  "bash",
                  "-c",
                  "cd \"$1\" && ./mvnw -q -pl operator -am package -DskipTests \"$2\" "
                      + DEPENDENCY_PLUGIN
                      + " -Dmdep.includeScope=runtime -Dmdep.outputFile=target/runtime.classpath",
                  "previous-version",
                  clone.toString(),
                  "-Dmaven.repo.local=" + localRepository))
          .requireSuccess();
      Path operator = clone.resolve("operator/target");
      String classPath =
          operator.resolve("classes")
              + ":"
              + Files.readString(operator.resolve("runtime.classpath")).trim();
      return new PreviousVersion(
          root, clone, classPath, Duration.ofNanos(System.nanoTime() - start));
    } catch (RuntimeException | IOException e) {
      delete(root);
      throw e;
    }
  }

  /** The checkout: its helm/phala-operator is the earlier chart. */
  Path checkout() {
    return clone;
  }

  /** How long cloning and building took. */
  Duration buildTime() {
    return buildTime;
  }

  /**
   * Starts the earlier operator ({@code OperatorMain}) with {@code env} (the chart's) and the
   * kubeconfig {@code kubeConfigYaml}, its output in {@code log}.
   */
  Running start(Map<String, String> env, String kubeConfigYaml, Path log) throws IOException {
    Path kubeconfig = root.resolve("kubeconfig-" + System.nanoTime());
    Files.writeString(kubeconfig, kubeConfigYaml);
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+ExitOnOutOfMemoryError",
                "-Xmx256m",
                "-cp",
                classPath,
                "cloud.phala.operator.app.OperatorMain")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Map<String, String> environment = builder.environment();
    // what a pod gets: the chart's env and its ServiceAccount, nothing of this JVM's cluster
    environment.keySet().removeIf(k -> k.startsWith("KUBERNETES_") || k.startsWith("PHALA_"));
    environment.putAll(env);
    environment.put("KUBECONFIG", kubeconfig.toString());
    return new Running(builder.start(), log);
  }

  /** The earlier operator's process; {@link #close()} stops it as a pod's termination would. */
  static final class Running implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final Thread onExit;

    private Running(Process process, Path log) {
      this.process = process;
      this.log = log;
      // if this JVM exits before close() (a failsafe timeout), the process goes with it
      this.onExit = new Thread(process::destroyForcibly, "previous-operator-stop");
      Runtime.getRuntime().addShutdownHook(onExit);
    }

    boolean alive() {
      return process.isAlive();
    }

    Path log() {
      return log;
    }

    /** SIGTERM (the operator's shutdown hook stops it), then SIGKILL after 15 s; waits for it. */
    @Override
    public void close() {
      try {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(15, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
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

  /** Deletes the clone and everything built in it. */
  @Override
  public void close() {
    delete(root);
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
