package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.app.cloud.CvmNames;
import cloud.phala.operator.app.owner.AdoptionGrants;
import cloud.phala.operator.app.owner.Installation;
import cloud.phala.operator.cloud.ApiCallObserver;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaCloudConfig;
import cloud.phala.operator.cloud.ProvisionRequest;
import cloud.phala.operator.cloud.Provisioned;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.SecretKeySelector;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a tenant can forge cannot make the operator act on another app: ownership comes from the
 * records this installation keeps in its own namespace, CVM names carry an identity unique to the
 * installation, and a replaced PhalaApp waits for an admin's grant. Cleanup works whatever the
 * namespace deleted first.
 */
@KubeApiTest
class OwnershipIT {
  private static OperatorFixture fixture;

  @BeforeAll
  static void start(KubernetesClient client, TestNamespace ns) {
    fixture = OperatorFixture.start(client, ns.name(), Duration.ofMillis(300));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void aTenantPointingItsStatusAtAnotherApp_neitherUpdatesNorDeletesThatAppsCvms(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    PhalaAppStatus victim = apps.running("victim");
    PhalaAppStatus attacker = apps.running("attacker");
    String victimCvm = victim.cvms.get(0).cvmId;
    int victimBoots = fixture.simulator.world().get(victimCvm).boots();

    client
        .resources(PhalaApp.class)
        .inNamespace(ns.name())
        .withName("attacker")
        .editStatus(
            app -> {
              app.getStatus().appId = victim.appId;
              app.getStatus().cvms = victim.cvms;
              app.getStatus().envRevision = "0000000000000000";
              return app;
            });
    apps.secret("attacker-api", Map.of("token", "attacker-2"));

    PhalaAppStatus rotated =
        apps.awaitStatus(
            "attacker",
            s ->
                attacker.appId.equals(s.appId)
                    && Apps.upToDate(s, 1)
                    && Apps.condition(s, "Progressing", "False")
                    && Apps.booted(fixture.simulator, attacker.cvms.get(0).cvmId)
                        .containsValue("attacker-2"));
    assertThat(rotated.appId).as("the status is put back to the app the record names").isNotNull();
    assertThat(Apps.booted(fixture.simulator, victimCvm))
        .as("the victim's CVM keeps its own env")
        .containsEntry("API_TOKEN", "victim-token");
    assertThat(fixture.simulator.world().get(victimCvm).boots()).isEqualTo(victimBoots);

    client.resources(PhalaApp.class).inNamespace(ns.name()).withName("attacker").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fixture.simulator.world().listApp(attacker.appId).isEmpty());
    assertThat(fixture.simulator.world().listApp(victim.appId))
        .as("deleting the attacker deletes its own CVMs only")
        .extracting(c -> c.vmUuid().toString())
        .containsExactly(victimCvm);
  }

  @Test
  void aPhalaAppReplacedUnderTheSameName_waitsForAnAdminsGrant_thenRunsTheSameCvms(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("replaced-db", Map.of("url", "postgres://replaced"));
    apps.secret("replaced-api", Map.of("token", "replaced-1"));
    apps.create(
        "replaced",
        1,
        spec -> {
          spec.env =
              List.of(
                  Apps.fromSecret("DATABASE_URL", "replaced-db", "url"),
                  Apps.fromSecret("API_TOKEN", "replaced-api", "token"));
          spec.deletionPolicy = PhalaAppSpec.DeletionPolicy.Retain;
        });
    PhalaAppStatus first = apps.awaitStatus("replaced", s -> Apps.upToDate(s, 1));
    String cvm = first.cvms.get(0).cvmId;
    client.resources(PhalaApp.class).inNamespace(ns.name()).withName("replaced").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> apps.get("replaced") == null);
    fixture.simulator.requestLog().clear();

    apps.create(
        "replaced",
        1,
        spec ->
            spec.env =
                List.of(
                    Apps.fromSecret("DATABASE_URL", "replaced-db", "url"),
                    Apps.fromSecret("API_TOKEN", "replaced-api", "token")));

    PhalaAppStatus waiting = apps.awaitStatus("replaced", s -> Apps.condition(s, "Ready", "False"));
    assertThat(waiting.conditions)
        .filteredOn(c -> c.getType().equals("Ready"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getReason()).isEqualTo("AdoptionRequired");
              assertThat(c.getMessage())
                  .contains(first.appId)
                  .contains("kubectl -n " + ns.name() + " create configmap");
            });
    assertThat(fixture.simulator.requestLog().entries())
        .as("nothing deployed while waiting")
        .noneMatch(e -> !e.method().equals("GET"));

    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("adopt-replaced")
                .withNamespace(ns.name())
                .addToLabels(AdoptionGrants.LABEL, "grant")
                .endMetadata()
                .withData(Map.of("namespace", ns.name(), "name", "replaced", "appId", first.appId))
                .build())
        .create();

    PhalaAppStatus adopted =
        apps.awaitStatus("replaced", s -> first.appId.equals(s.appId) && Apps.upToDate(s, 1));
    assertThat(adopted.cvms).extracting(c -> c.cvmId).containsExactly(cvm);
    assertThat(fixture.simulator.world().get(cvm).boots())
        .as("the same CVM, restarted at most once: a new PhalaApp cannot tell what env it runs")
        .isLessThanOrEqualTo(2);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                client.configMaps().inNamespace(ns.name()).withName("adopt-replaced").get()
                    == null);
  }

  @Test
  void aCvmNamedByAnotherInstallation_isNotAdopted_evenUnderTheOldSharedDefaultName(
      KubernetesClient client, TestNamespace ns) {
    String foreignName = CvmNames.of(Installation.LEGACY_IDENTITY, ns.name(), "twin");
    PhalaCloudClient phala =
        new PhalaCloudClient(
            PhalaCloudConfig.of(fixture.simulator.baseUrl(), fixture.simulator.apiKey()),
            ApiCallObserver.NONE);
    Provisioned provisioned =
        phala.provision(
            new ProvisionRequest(
                foreignName, Apps.COMPOSE, null, List.of(), "tdx.small", 40, null));
    phala.commit(
        provisioned.appId(),
        provisioned.composeHash(),
        EnvSealer.seal(EnvPublicKey.fromHex(provisioned.envPublicKey()), EnvSet.empty()),
        List.of());

    PhalaAppStatus twin = new Apps(client, ns.name()).running("twin");

    assertThat(twin.appId).isNotEqualTo(provisioned.appId());
    assertThat(fixture.simulator.world().listApp(provisioned.appId()))
        .as("the other cluster's CVM is left alone")
        .singleElement()
        .satisfies(c -> assertThat(c.boots()).isOne());
    assertThat(twin.cvms.get(0).name).doesNotStartWith(Installation.LEGACY_IDENTITY + "-" + ns);
  }

  @Test
  void aPhalaAppReferencingTheOperatorsOwnSecrets_isRefused_andDeploysNothing(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    fixture.simulator.requestLog().clear();

    apps.create(
        "greedy-key",
        1,
        spec ->
            spec.env = List.of(Apps.fromSecret("STOLEN", "phala-operator-revision-key", "key")));
    apps.create(
        "greedy-api",
        1,
        spec -> spec.env = List.of(Apps.fromSecret("STOLEN", "phala-api", "apiKey")));

    for (String name : List.of("greedy-key", "greedy-api")) {
      PhalaAppStatus refused =
          apps.awaitStatus(name, s -> Apps.condition(s, "SecretsResolved", "False"));
      assertThat(refused.conditions)
          .filteredOn(c -> c.getType().equals("SecretsResolved"))
          .singleElement()
          .satisfies(c -> assertThat(c.getReason()).isEqualTo("OperatorSecret"));
      assertThat(refused.appId).isNull();
    }
    // other tests' apps share this operator, and its periodic listing read serves them all
    assertThat(fixture.simulator.requestLog().entries())
        .as("nothing was provisioned, created or changed")
        .allMatch(e -> e.method().equals("GET") && e.path().equals("/api/v1/cvms/paginated"));
  }

  @Test
  void deletingTheCredentialsSecretFirst_stillDeletesTheCvms_withTheKeyInTheAppsRecord(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("own-db", Map.of("url", "postgres://own"));
    apps.secret("own-api", Map.of("token", "own-1"));
    apps.secret("own-key", Map.of("apiKey", fixture.simulator.apiKey()));
    apps.create(
        "own",
        1,
        spec -> {
          spec.env =
              List.of(
                  Apps.fromSecret("DATABASE_URL", "own-db", "url"),
                  Apps.fromSecret("API_TOKEN", "own-api", "token"));
          spec.credentialsSecretRef = new SecretKeySelector();
          spec.credentialsSecretRef.name = "own-key";
          spec.credentialsSecretRef.key = "apiKey";
        });
    String appId = apps.awaitStatus("own", s -> Apps.upToDate(s, 1)).appId;

    client.secrets().inNamespace(ns.name()).withName("own-key").delete();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.secrets().inNamespace(ns.name()).withName("own-key").get() == null);
    client.resources(PhalaApp.class).inNamespace(ns.name()).withName("own").delete();

    await().atMost(Duration.ofSeconds(30)).until(() -> apps.get("own") == null);
    List<CvmSnapshot> left = fixture.simulator.world().listApp(appId);
    assertThat(left).as("every CVM of the app is deleted").isEmpty();
  }
}
