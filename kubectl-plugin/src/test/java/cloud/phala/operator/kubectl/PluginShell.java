package cloud.phala.operator.kubectl;

import cloud.phala.operator.testsupport.Command;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A user's terminal with the packaged plugin installed: bash with kubectl and the unpacked {@code
 * kubectl-phala-*.tar.gz} this build made on PATH, its own copy of the API server's kubeconfig
 * (KUBECONFIG), its own HOME and working directory.
 */
final class PluginShell {
  /** The archive the build made; kubectl-plugin/pom.xml passes its path to failsafe. */
  static final Path ARCHIVE = Path.of(System.getProperty("phala.kubectl.archive", "missing"));

  private static Path unpacked;

  private final Path dir;
  private final Path kubeconfig;
  private final Path home;
  private final String path;

  private PluginShell(Path dir, Path kubeconfig, Path home, String path) {
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.home = home;
    this.path = path;
  }

  /** The archive unpacked with tar, once per JVM, as krew or a user would unpack it. */
  static synchronized Path unpacked() throws IOException {
    if (unpacked == null) {
      Path dir = Files.createTempDirectory("kubectl-phala-");
      Command.run(
              Duration.ofMinutes(1),
              List.of("tar", "-xzf", ARCHIVE.toString(), "-C", dir.toString()))
          .requireSuccess();
      unpacked = dir;
    }
    return unpacked;
  }

  /** A shell whose kubectl context's namespace is {@code namespace} (null: none set). */
  static PluginShell in(KubeApiServerHandle server, String namespace) throws IOException {
    Path dir = Files.createTempDirectory("phala-user-");
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.copy(server.kubeConfigFile(), kubeconfig);
    Path home = Files.createDirectories(dir.resolve("home"));
    String path =
        unpacked() + ":" + server.binaries().kubectl().getParent() + ":" + System.getenv("PATH");
    PluginShell shell = new PluginShell(dir, kubeconfig, home, path);
    if (namespace != null) {
      shell.ok("kubectl config set-context --current --namespace=" + namespace);
    }
    return shell;
  }

  Path kubeconfig() {
    return kubeconfig;
  }

  /**
   * Runs {@code script} in a directory of its own; stdout and stderr together, and the exit code.
   */
  Command.Result run(String script) {
    return Command.run(
        Duration.ofSeconds(120),
        List.of(
            "bash",
            "-c",
            "set -uo pipefail; cd \"$4\"; export KUBECONFIG=\"$1\" HOME=\"$2\" PATH=\"$3\"; "
                + script,
            "plugin-shell",
            kubeconfig.toString(),
            home.toString(),
            path,
            dir.toString()));
  }

  /** Runs {@code script} and fails the test if it fails. */
  String ok(String script) {
    return run(script).requireSuccess().output();
  }
}
