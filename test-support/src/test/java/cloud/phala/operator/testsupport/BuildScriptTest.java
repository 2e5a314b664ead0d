package cloud.phala.operator.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tools/k8s/build.sh, driven with a fake {@code go} so it runs in milliseconds. */
class BuildScriptTest {
  private static final Path SCRIPT = Path.of("..", "tools", "k8s", "build.sh").toAbsolutePath();
  private static final Path FAKE_GO_DIR =
      Path.of("src", "test", "resources", "fake-go").toAbsolutePath();

  @TempDir Path cache;
  @TempDir Path work;
  private Path goLog;

  @BeforeEach
  void setUp() {
    goLog = work.resolve("go-calls.log");
  }

  @Test
  void aColdCache_buildsEveryBinaryIntoTheVersionKeyedLayout() throws Exception {
    Run run = run(Map.of());

    assertThat(run.exitCode).isZero();
    KubeBinaries expected = binariesIn(cache);
    assertThat(expected.kubeBinDir().resolve("kube-apiserver")).isExecutable();
    assertThat(expected.kubeBinDir().resolve("kubectl")).isExecutable();
    assertThat(expected.kubeBinDir().resolve("etcd")).isExecutable();
    assertThat(cache.resolve("helm-v" + expected.helmVersion()).resolve("helm")).isExecutable();
    assertThat(Files.list(cache).map(p -> p.getFileName().toString()))
        .noneMatch(name -> name.startsWith(".tmp.") || name.equals(".go-build-cache"));
  }

  @Test
  void theBuilds_stampTheRealVersions() throws Exception {
    run(Map.of());

    KubeBinaries versions = binariesIn(cache);
    String calls = Files.readString(goLog);
    assertThat(calls)
        .contains("-X k8s.io/component-base/version.gitVersion=v" + versions.kubeVersion())
        .contains("-X k8s.io/client-go/pkg/version.gitVersion=v" + versions.kubeVersion())
        .contains("-X helm.sh/helm/v3/internal/version.version=v" + versions.helmVersion());
  }

  @Test
  void aWarmCache_buildsNothing() throws Exception {
    run(Map.of());
    long callsAfterFirst = Files.readAllLines(goLog).size();

    Run second = run(Map.of());

    assertThat(second.exitCode).isZero();
    assertThat(Files.readAllLines(goLog)).hasSize((int) callsAfterFirst);
  }

  @Test
  void twoRunsAtOnce_buildEachBinaryOnlyOnce() throws Exception {
    Process first = start(Map.of("FAKE_GO_DELAY", "0.3"));
    Process second = start(Map.of("FAKE_GO_DELAY", "0.3"));

    assertThat(first.waitFor(30, TimeUnit.SECONDS) && second.waitFor(30, TimeUnit.SECONDS))
        .isTrue();
    assertThat(first.exitValue()).isZero();
    assertThat(second.exitValue()).isZero();
    // kube-apiserver + kubectl, etcd, helm: three go builds in all
    assertThat(Files.readAllLines(goLog)).hasSize(3);
  }

  @Test
  void aFailedBuild_leavesNoPartialBinariesAndSaysSo() throws Exception {
    Run run = run(Map.of("FAKE_GO_FAIL", "1"));

    assertThat(run.exitCode).isNotZero();
    assertThat(run.output).contains("failed");
    assertThat(Files.exists(binariesIn(cache).kubeBinDir())).isFalse();
    assertThat(Files.list(cache).map(p -> p.getFileName().toString()))
        .noneMatch(name -> name.startsWith(".tmp."));
  }

  @Test
  void withoutGo_itFailsWithAClearMessage() throws Exception {
    Run run = run(Map.of("GO", work.resolve("no-such-go").toString()));

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.output).contains("Go is not installed");
  }

  private record Run(int exitCode, String output) {}

  private Run run(Map<String, String> env) throws Exception {
    Process process = start(env);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes()));
  }

  private Process start(Map<String, String> env) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(List.of("bash", SCRIPT.toString()));
    builder.redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.put("PATH", FAKE_GO_DIR + ":/usr/bin:/bin");
    environment.put("PHALA_K8S_CACHE", cache.toString());
    environment.put("FAKE_GO_LOG", goLog.toString());
    environment.putAll(env);
    return builder.start();
  }

  private static KubeBinaries binariesIn(Path cache) {
    return KubeBinaries.locate(cache);
  }
}
