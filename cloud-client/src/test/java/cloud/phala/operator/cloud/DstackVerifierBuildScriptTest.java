package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tools/dstack-verifier/build.sh, driven with a fake {@code cargo} so it runs in milliseconds. */
class DstackVerifierBuildScriptTest {
  private static final Path SCRIPT =
      Path.of("..", "tools", "dstack-verifier", "build.sh").toAbsolutePath().normalize();
  private static final Path FAKE_CARGO_DIR =
      Path.of("src", "test", "resources", "fake-cargo").toAbsolutePath();

  @TempDir Path cache;
  @TempDir Path work;
  private Path cargoLog;

  @BeforeEach
  void setUp() {
    cargoLog = work.resolve("cargo-calls.log");
  }

  @Test
  void aColdCache_buildsLockedRelease_intoADirectoryKeyedByVersions_andLinksTheBinary()
      throws Exception {
    Path link = work.resolve("target").resolve("dstack-verifier-double");

    Run run = run(Map.of(), link.toString());

    assertThat(run.exitCode).as(run.output).isZero();
    assertThat(Files.readString(cargoLog)).contains("build --release --locked --manifest-path");
    assertThat(cachedDirectories())
        .singleElement()
        .satisfies(
            name ->
                assertThat(name).matches("dstack-verifier-0\\.1\\.0-dcap-qvl-0\\.7\\.1-\\w{12}"));
    Path binary = cache.resolve(cachedDirectories().get(0)).resolve("dstack-verifier-double");
    assertThat(binary).isExecutable();
    assertThat(Files.readSymbolicLink(link)).isEqualTo(binary);
    assertThat(run.output).contains("dstack-verifier-double: " + binary);
  }

  @Test
  void aWarmCache_buildsNothing() throws Exception {
    run(Map.of());

    Run second = run(Map.of());

    assertThat(second.exitCode).isZero();
    assertThat(Files.readAllLines(cargoLog)).hasSize(1);
  }

  @Test
  void twoRunsAtOnce_buildOnlyOnce() throws Exception {
    Process first = start(Map.of("FAKE_CARGO_DELAY", "0.3"));
    Process second = start(Map.of("FAKE_CARGO_DELAY", "0.3"));

    assertThat(first.waitFor(30, TimeUnit.SECONDS) && second.waitFor(30, TimeUnit.SECONDS))
        .isTrue();
    assertThat(first.exitValue()).isZero();
    assertThat(second.exitValue()).isZero();
    assertThat(Files.readAllLines(cargoLog)).hasSize(1);
  }

  @Test
  void aFailedBuild_leavesNothingBehind_andSaysSo() throws Exception {
    Run run = run(Map.of("FAKE_CARGO_FAIL", "1"));

    assertThat(run.exitCode).isNotZero();
    assertThat(run.output).contains("the build failed");
    assertThat(cachedDirectories()).isEmpty();
  }

  @Test
  void withoutCargo_itFailsWithAClearMessage() throws Exception {
    Run run = run(Map.of("CARGO", work.resolve("no-such-cargo").toString()));

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.output).contains("cargo is not installed");
  }

  private List<String> cachedDirectories() throws IOException {
    try (Stream<Path> entries = Files.list(cache)) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(name -> !name.equals(".dstack-verifier.lock"))
          .toList();
    }
  }

  private record Run(int exitCode, String output) {}

  private Run run(Map<String, String> env, String... args) throws Exception {
    Process process = start(env, args);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes()));
  }

  private Process start(Map<String, String> env, String... args) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
            Stream.concat(Stream.of("bash", SCRIPT.toString()), Stream.of(args)).toList());
    builder.redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.put("PATH", FAKE_CARGO_DIR + ":/usr/bin:/bin");
    environment.put("HOME", work.toString());
    environment.put("PHALA_DSTACK_VERIFIER_CACHE", cache.toString());
    environment.put("FAKE_CARGO_LOG", cargoLog.toString());
    environment.remove("CARGO");
    environment.putAll(env);
    return builder.start();
  }
}
