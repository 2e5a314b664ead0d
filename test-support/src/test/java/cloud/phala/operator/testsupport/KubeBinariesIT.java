package cloud.phala.operator.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

@KubeApiTest
class KubeBinariesIT {

  @Test
  void theApiServer_reportsItsStampedVersion(KubernetesClient client, KubeApiServerHandle server) {
    assumeTrue(SharedKubeApiServer.isBuiltIn(), "only the built-in API server is built here");
    String expected = "v" + server.binaries().kubeVersion();

    assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo(expected);
    assertThat(client.getKubernetesVersion().getMinor())
        .isEqualTo(server.binaries().kubeVersion().split("\\.")[1]);
  }

  @Test
  void kubectl_reportsItsStampedVersion(KubeApiServerHandle server) {
    String output =
        Command.run(server.binaries().kubectl().toString(), "version", "--client", "-o", "json")
            .requireSuccess()
            .output();

    assertThat(output).contains("\"gitVersion\": \"v" + server.binaries().kubeVersion() + "\"");
  }

  @Test
  void etcd_reportsItsVersion(KubeApiServerHandle server) {
    String output =
        Command.run(server.binaries().etcd().toString(), "--version").requireSuccess().output();

    assertThat(output).contains("etcd Version: " + server.binaries().etcdVersion());
  }

  @Test
  void helm_reportsItsStampedVersion(KubeApiServerHandle server) {
    String output =
        Command.run(server.binaries().helm().toString(), "version", "--short")
            .requireSuccess()
            .output();

    assertThat(output).startsWith("v" + server.binaries().helmVersion());
  }
}
