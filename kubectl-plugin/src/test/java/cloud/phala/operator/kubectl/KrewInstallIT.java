package cloud.phala.operator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.testsupport.Command;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/kubectl-plugin.md's krew command as written, from the repository, with krew (built by
 * tools/krew/build.sh) and its own KREW_ROOT: krew checks the manifest and the archive's sha256,
 * installs the plugin, and kubectl finds it through krew's link.
 */
@KubeApiTest
class KrewInstallIT {
  @Test
  void theDocumentedKrewInstall_installsThePluginFromTheBuiltManifestAndArchive(
      KubeApiServerHandle server) throws Exception {
    List<String> commands = Guide.commands("Install with krew");
    assertThat(commands).singleElement().asString().startsWith("kubectl krew install");
    Path krewRoot = Files.createTempDirectory("krew-root-");
    String cache =
        System.getenv()
            .getOrDefault(
                "PHALA_K8S_CACHE", System.getProperty("user.home") + "/.cache/phala-operator/k8s");
    Path krew = Path.of(cache, "krew-v" + System.getProperty("phala.krew.version"));

    Command.Result result =
        Command.run(
            Duration.ofMinutes(2),
            List.of(
                "bash",
                "-c",
                "set -euo pipefail; cd \"$1\"; export KREW_ROOT=\"$2\" KUBECONFIG=\"$3\""
                    + " PATH=\"$2/bin:$4:$5:$PATH\"; "
                    + commands.get(0)
                    + "; kubectl plugin list; kubectl phala get nope || true",
                "krew",
                Guide.REPOSITORY.toString(),
                krewRoot.toString(),
                server.kubeConfigFile().toString(),
                krew.toString(),
                server.binaries().kubectl().getParent().toString()));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("Installed plugin: phala")
        .contains(krewRoot.resolve("bin/kubectl-phala").toString())
        .contains("Error from server (NotFound): phalaapps.phala.cloud \"nope\" not found");
    assertThat(Files.readSymbolicLink(krewRoot.resolve("bin/kubectl-phala")).toString())
        .as("krew links the launcher from its store; the launcher finds the jar beside it")
        .contains("/store/phala/");
  }
}
