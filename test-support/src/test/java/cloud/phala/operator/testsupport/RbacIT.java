package cloud.phala.operator.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@KubeApiTest
class RbacIT {
  private static final PolicyRule LIST_CONFIGMAPS =
      new PolicyRuleBuilder()
          .withApiGroups("")
          .withResources("configmaps")
          .withVerbs("get", "list")
          .build();

  @Test
  void aServiceAccountWithoutAPermission_gets403_andSucceedsOnceGranted(
      KubeApiServerHandle server, KubernetesClient admin, TestNamespace ns) {
    ServiceAccountClients accounts = new ServiceAccountClients(server, admin);
    try (KubernetesClient operator = accounts.clientFor(ns.name(), "operator")) {
      assertThatThrownBy(() -> operator.configMaps().inNamespace(ns.name()).list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));

      accounts.grantInNamespace(ns.name(), "operator", "read-configmaps", List.of(LIST_CONFIGMAPS));

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(operator.configMaps().inNamespace(ns.name()).list()).isNotNull());
      assertThatThrownBy(() -> operator.secrets().inNamespace(ns.name()).list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
      assertThatThrownBy(() -> operator.configMaps().inNamespace("default").list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
  }

  @Test
  void aClusterWideGrant_reachesEveryNamespace(
      KubeApiServerHandle server, KubernetesClient admin, TestNamespace ns) {
    ServiceAccountClients accounts = new ServiceAccountClients(server, admin);
    accounts.grantClusterWide(
        ns.name(), "watcher", "phala-proof-read-configmaps", List.of(LIST_CONFIGMAPS));

    try (KubernetesClient watcher = accounts.clientFor(ns.name(), "watcher")) {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(watcher.configMaps().inNamespace("default").list()).isNotNull());
    }
  }
}
