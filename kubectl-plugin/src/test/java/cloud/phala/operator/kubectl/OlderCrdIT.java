package cloud.phala.operator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.testsupport.Command;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cluster whose PhalaApp CRD is older than the plugin: the API server drops the field a command
 * sets, and the command says the CRD needs an upgrade instead of claiming success.
 */
@KubeApiTest
class OlderCrdIT {
  private static PluginShell user;
  private static String ns;

  @BeforeAll
  static void olderCrd(KubernetesClient admin, KubeApiServerHandle server, TestNamespace namespace)
      throws Exception {
    ns = namespace.name();
    ContractCrd.install(admin, false);
    TestApps.awaitSchema(admin, ns, false);
    user = PluginShell.in(server, ns);
  }

  @AfterAll
  static void currentCrd(KubernetesClient admin) throws Exception {
    ContractCrd.install(admin);
    TestApps.awaitContractSchema(admin, ns);
  }

  @Test
  void restartAndRetry_sayTheCrdNeedsAnUpgrade_exitOne_andChangeNothing(KubernetesClient admin) {
    TestApps.create(admin, ns, "old");
    GenericKubernetesResource before =
        TestApps.writeStatus(
            admin,
            ns,
            "old",
            Map.of("rollout", Map.of("failedRevision", "r2", "action", "Halted")));

    Command.Result restart = user.run("kubectl phala rollout restart old");
    assertThat(restart.exitCode()).isEqualTo(1);
    assertThat(restart.output())
        .isEqualTo(
            "error: the PhalaApp CRD in this cluster has no spec.restartAt: upgrade phala-operator"
                + " (and its CRD) to use kubectl phala rollout restart\n");
    Command.Result retry = user.run("kubectl phala rollout retry old");
    assertThat(retry.exitCode()).isEqualTo(1);
    assertThat(retry.output()).contains("has no spec.rollout.retryAt: upgrade phala-operator");

    assertThat(TestApps.comparable(TestApps.app(admin, ns, "old").get()))
        .isEqualTo(TestApps.comparable(before));
  }
}
