package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.SecretKeySelector;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A namespace the operator does not allow cannot use the operator's own Phala Cloud account, and an
 * app's own credentials are read from its own namespace only.
 */
@KubeApiTest
class TenancyIT {
  private static OperatorFixture fixture;
  private static final String TENANT = "tenancy-tenant-b";

  @BeforeAll
  static void start(KubernetesClient client, TestNamespace ns) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(TENANT).endMetadata().build())
        .serverSideApply();
    fixture =
        OperatorFixture.start(client, ns.name(), Duration.ofMillis(200), ns.name() + "," + TENANT);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void aTenantWithoutCredentials_cannotDeployOnTheOperatorsAccount(KubernetesClient client) {
    Apps apps = new Apps(client, TENANT);
    apps.secret("db", Map.of("url", "postgres://tenant"));
    apps.secret("api", Map.of("token", "tenant"));
    fixture.simulator.requestLog().clear();

    apps.create("freeloader", 1, spec -> {});

    PhalaAppStatus status =
        apps.awaitStatus("freeloader", s -> Apps.condition(s, "Ready", "False"));
    assertThat(status.conditions)
        .filteredOn(c -> c.getType().equals("Ready"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getReason()).isEqualTo("CredentialsUnavailable");
              assertThat(c.getMessage()).contains("not allowed in namespace " + TENANT);
            });
    assertThat(fixture.simulator.requestLog().entries()).isEmpty();
  }

  @Test
  void aTenantWithItsOwnCredentialsSecret_deploys(KubernetesClient client) {
    Apps apps = new Apps(client, TENANT);
    apps.secret("db", Map.of("url", "postgres://tenant"));
    apps.secret("api", Map.of("token", "tenant"));
    apps.secret("own-phala-key", Map.of("apiKey", fixture.simulator.apiKey()));

    apps.create(
        "paying",
        1,
        spec -> {
          spec.credentialsSecretRef = new SecretKeySelector();
          spec.credentialsSecretRef.name = "own-phala-key";
          spec.credentialsSecretRef.key = "apiKey";
        });

    assertThat(apps.awaitStatus("paying", s -> "1/1".equals(s.ready)).appId).isNotNull();
  }
}
