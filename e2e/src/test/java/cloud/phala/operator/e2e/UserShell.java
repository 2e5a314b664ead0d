package cloud.phala.operator.e2e;

import cloud.phala.operator.testsupport.Command;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A user's terminal: bash in a directory, with its own copy of the API server's kubeconfig (so a
 * {@code kubectl config set-context} stays in one test) and kubectl and helm on PATH.
 */
final class UserShell {
  private final Path dir;
  private final Path kubeconfig;
  private final String path;

  private UserShell(Path dir, Path kubeconfig, String path) {
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.path = path;
  }

  /** A shell in {@code dir}; with {@code namespace}, kubectl's current namespace is set to it. */
  static UserShell in(Path dir, KubeApiServerHandle server, String namespace) throws IOException {
    return in(dir, server, namespace, List.of());
  }

  /** The same, with {@code extraPath} (e.g. an installed kubectl plugin) first on PATH. */
  static UserShell in(Path dir, KubeApiServerHandle server, String namespace, List<Path> extraPath)
      throws IOException {
    Path kubeconfig = Files.createTempDirectory("phala-user-").resolve("kubeconfig");
    Files.copy(server.kubeConfigFile(), kubeconfig);
    String path =
        extraPath.stream().map(p -> p + ":").collect(java.util.stream.Collectors.joining())
            + server.binaries().kubectl().getParent()
            + ":"
            + server.binaries().helm().getParent()
            + ":"
            + System.getenv("PATH");
    UserShell shell = new UserShell(dir, kubeconfig, path);
    if (namespace != null) {
      shell.run("kubectl config set-context --current --namespace=" + namespace);
    }
    return shell;
  }

  /** Runs {@code script} with {@code set -euo pipefail}; fails the test if it fails. */
  String run(String script) {
    return attempt(script).requireSuccess().output();
  }

  /** Runs {@code script} with {@code set -euo pipefail}: its output and exit code. */
  Command.Result attempt(String script) {
    return Command.run(
        Duration.ofSeconds(120),
        List.of(
            "bash",
            "-c",
            "set -euo pipefail; cd \"$1\"; export KUBECONFIG=\"$2\" PATH=\"$3\"; " + script,
            "user-shell",
            dir.toString(),
            kubeconfig.toString(),
            path));
  }
}
