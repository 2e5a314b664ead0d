package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs the install commands of README.md (the same block as docs/install.md) as written, with the
 * real kubectl and helm against the real API server, and checks what they made.
 */
@KubeApiTest
class InstallGuideE2E {

  @Test
  void theReadmeInstallCommands_createTheNamespaceTheKeyAndARelease_usingThatKey(
      KubernetesClient admin, KubeApiServerHandle server) throws Exception {
    String readme = installBlock("README.md", "## Install in a cluster");
    assertThat(installBlock("docs/install.md", "```sh"))
        .as("README.md and docs/install.md give the same install commands")
        .isEqualTo(readme);
    UserShell user = UserShell.in(ExampleGuide.REPOSITORY, server, null);

    try {
      user.run(readme);

      Secret key = admin.secrets().inNamespace("phala-system").withName("phala-api").get();
      assertThat(
              new String(
                  Base64.getDecoder().decode(key.getData().get("apiKey")), StandardCharsets.UTF_8))
          .isEqualTo("phak_...");
      Deployment deployment =
          admin.apps().deployments().inNamespace("phala-system").withName("phala-operator").get();
      Map<String, String> env =
          deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
              .filter(e -> e.getValue() != null)
              .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
      assertThat(env)
          .containsEntry("PHALA_DEFAULT_CREDENTIALS", "phala-system/phala-api/apiKey")
          .containsEntry("PHALA_DEFAULT_CREDENTIALS_NAMESPACES", "team-a");
      assertThat(admin.rbac().clusterRoles().withName("phala-operator").get())
          .as("cluster-wide RBAC by default")
          .isNotNull();
    } finally {
      user.run("helm uninstall phala-operator -n phala-system");
      user.run("kubectl delete namespace phala-system --wait=false");
    }
  }

  /** The first shell block after {@code heading} in {@code file}. */
  private static String installBlock(String file, String heading) throws Exception {
    String text = Files.readString(ExampleGuide.REPOSITORY.resolve(file));
    List<String> blocks = DocBlocks.of(text.substring(text.indexOf(heading)), "sh");
    assertThat(blocks).as("a shell block after %s in %s", heading, file).isNotEmpty();
    return blocks.get(0);
  }
}
