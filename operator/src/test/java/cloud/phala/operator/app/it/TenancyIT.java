package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.SecretKeySelector;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
    assertThat(client.v1().events().inNamespace(TENANT).list().getItems())
        .anyMatch(
            e ->
                "CredentialsUnavailable".equals(e.getReason())
                    && "freeloader".equals(e.getInvolvedObject().getName()));
  }

  @Test
  void aPhalaApp_cannotUseASecretOfAnotherNamespace_notEvenOneNamedLikeItsOwn(
      KubernetesClient client, TestNamespace ns) {
    // Both Secrets exist, but only in the operator's namespace: the first holds the operator's
    // Phala Cloud key (the fixture's default credentials), the second a value.
    String canary = "canary-other-namespace-" + UUID.randomUUID();
    new Apps(client, ns.name()).secret("operator-only-db", Map.of("url", canary));
    Apps apps = new Apps(client, TENANT);
    apps.secret("borrow-db", Map.of("url", "postgres://tenant"));
    apps.secret("borrow-api", Map.of("token", "tenant"));
    apps.secret("borrow-own-key", Map.of("apiKey", fixture.simulator.apiKey()));
    fixture.simulator.requestLog().clear();

    apps.create(
        "borrows-key",
        1,
        spec -> {
          spec.env =
              List.of(
                  Apps.fromSecret("DATABASE_URL", "borrow-db", "url"),
                  Apps.fromSecret("API_TOKEN", "borrow-api", "token"));
          spec.credentialsSecretRef = new SecretKeySelector();
          spec.credentialsSecretRef.name = "phala-api";
          spec.credentialsSecretRef.key = "apiKey";
        });
    apps.create(
        "borrows-value",
        1,
        spec -> {
          spec.env =
              List.of(
                  Apps.fromSecret("DATABASE_URL", "operator-only-db", "url"),
                  Apps.fromSecret("API_TOKEN", "borrow-api", "token"));
          spec.credentialsSecretRef = new SecretKeySelector();
          spec.credentialsSecretRef.name = "borrow-own-key";
          spec.credentialsSecretRef.key = "apiKey";
        });

    PhalaAppStatus keyless =
        apps.awaitStatus("borrows-key", s -> Apps.condition(s, "Ready", "False"));
    assertThat(keyless.conditions)
        .filteredOn(c -> c.getType().equals("Ready"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getReason()).isEqualTo("CredentialsUnavailable");
              assertThat(c.getMessage())
                  .isEqualTo("credentials Secret phala-api (key apiKey) not found");
            });
    PhalaAppStatus valueless =
        apps.awaitStatus("borrows-value", s -> Apps.condition(s, "SecretsResolved", "False"));
    assertThat(valueless.conditions)
        .filteredOn(c -> c.getType().equals("SecretsResolved"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getReason()).isEqualTo("MissingSource");
              assertThat(c.getMessage())
                  .startsWith("Secret operator-only-db not found")
                  .doesNotContain(canary);
            });
    assertThat(fixture.simulator.requestLog().entries())
        .as("requests that could create a CVM")
        .noneMatch(e -> !e.method().equals("GET"));
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

    assertThat(apps.awaitStatus("paying", s -> Apps.upToDate(s, 1)).appId).isNotNull();
  }
}
