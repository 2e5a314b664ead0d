package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.app.cloud.CvmNames;
import cloud.phala.operator.app.owner.Installation;
import cloud.phala.operator.cloud.ApiCallObserver;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaCloudConfig;
import cloud.phala.operator.cloud.ProvisionRequest;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Rollout;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.simulator.cloud.AvailabilityPoint;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scaling, rollout strategies and deletion policies. */
@KubeApiTest
class LifecycleIT {
  private static OperatorFixture fixture;

  @BeforeAll
  static void start(KubernetesClient client, TestNamespace ns) {
    fixture = OperatorFixture.start(client, ns.name(), Duration.ofMillis(300));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static void secrets(Apps apps, String prefix) {
    apps.secret(prefix + "-db", Map.of("url", "postgres://" + prefix));
    apps.secret(prefix + "-api", Map.of("token", prefix + "-token"));
  }

  private static PhalaApp create(
      Apps apps, String name, int replicas, java.util.function.Consumer<PhalaAppSpec> more) {
    return apps.create(
        name,
        replicas,
        spec -> {
          spec.env =
              List.of(
                  Apps.fromSecret("DATABASE_URL", name + "-db", "url"),
                  Apps.fromSecret("API_TOKEN", name + "-api", "token"));
          more.accept(spec);
        });
  }

  private static List<CvmSnapshot> cvmsOf(String appId) {
    return fixture.simulator.world().listApp(appId);
  }

  @Test
  void scalingUpAndDown_addsAndRemovesCvms(KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    secrets(apps, "scaled");
    create(apps, "scaled", 1, spec -> {});
    PhalaAppStatus one = apps.awaitStatus("scaled", s -> Apps.upToDate(s, 1));

    apps.edit("scaled", a -> a.getSpec().replicas = 3);
    apps.awaitStatus("scaled", s -> Apps.upToDate(s, 3));
    assertThat(cvmsOf(one.appId)).hasSize(3);

    apps.edit("scaled", a -> a.getSpec().replicas = 2);
    apps.awaitStatus("scaled", s -> Apps.upToDate(s, 2) && s.cvms.size() == 2);
    assertThat(cvmsOf(one.appId)).hasSize(2);
  }

  @Test
  void withMaxSurge_aRotationAddsANewCvmBeforeRemovingAnOld_andNeverDropsBelowReplicas(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    secrets(apps, "surge");
    create(
        apps,
        "surge",
        2,
        spec -> {
          spec.rollout = new Rollout();
          spec.rollout.maxUnavailable = new IntOrString(0);
          spec.rollout.maxSurge = new IntOrString(1);
        });
    PhalaAppStatus before = apps.awaitStatus("surge", s -> Apps.upToDate(s, 2));

    apps.secret("surge-api", Map.of("token", "surge-token-2"));

    PhalaAppStatus after =
        apps.awaitStatus(
            "surge",
            s ->
                !before.envRevision.equals(s.envRevision)
                    && Apps.upToDate(s, 2)
                    && s.cvms.size() == 2);
    assertThat(after.cvms)
        .extracting(c -> c.cvmId)
        .doesNotContainAnyElementsOf(before.cvms.stream().map(c -> c.cvmId).toList());
    List<AvailabilityPoint> timeline = fixture.simulator.world().timeline(after.appId);
    assertThat(Apps.minServingOnceAllServed(timeline, 2)).isGreaterThanOrEqualTo(2);
    assertThat(timeline).allSatisfy(p -> assertThat(p.total()).isLessThanOrEqualTo(3));
    for (PhalaAppStatus.CvmStatus cvm : after.cvms) {
      assertThat(Apps.booted(fixture.simulator, cvm.cvmId))
          .containsEntry("API_TOKEN", "surge-token-2");
    }
  }

  @Test
  void aPausedRollout_leavesEveryCvmOnItsEnv_untilResumed(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    secrets(apps, "paused");
    create(apps, "paused", 2, spec -> {});
    PhalaAppStatus before = apps.awaitStatus("paused", s -> Apps.upToDate(s, 2));

    apps.edit(
        "paused",
        app -> {
          app.getSpec().rollout = new Rollout();
          app.getSpec().rollout.paused = true;
        });
    apps.awaitStatus(
        "paused", s -> Apps.condition(s, "Progressing", "False") && hasReason(s, "Paused"));
    apps.secret("paused-api", Map.of("token", "paused-2"));

    PhalaAppStatus held =
        apps.awaitStatus(
            "paused", s -> !before.envRevision.equals(s.envRevision) && Apps.upToDate(s, 0));
    assertThat(hasReason(held, "Paused")).isTrue();
    for (PhalaAppStatus.CvmStatus cvm : before.cvms) {
      assertThat(Apps.booted(fixture.simulator, cvm.cvmId))
          .containsEntry("API_TOKEN", "paused-token");
    }

    apps.edit("paused", app -> app.getSpec().rollout.paused = false);

    PhalaAppStatus resumed =
        apps.awaitStatus(
            "paused", s -> held.envRevision.equals(s.envRevision) && Apps.upToDate(s, 2));
    for (PhalaAppStatus.CvmStatus cvm : resumed.cvms) {
      assertThat(Apps.booted(fixture.simulator, cvm.cvmId)).containsEntry("API_TOKEN", "paused-2");
    }
  }

  private static boolean hasReason(PhalaAppStatus status, String reason) {
    return status.conditions.stream()
        .anyMatch(c -> "Progressing".equals(c.getType()) && reason.equals(c.getReason()));
  }

  @Test
  void recreate_restartsEveryReplicaAtOnce(KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    secrets(apps, "recreate");
    create(
        apps,
        "recreate",
        2,
        spec -> {
          spec.rollout = new Rollout();
          spec.rollout.strategy = Rollout.Strategy.Recreate;
        });
    PhalaAppStatus before = apps.awaitStatus("recreate", s -> Apps.upToDate(s, 2));

    apps.secret("recreate-api", Map.of("token", "recreate-2"));

    PhalaAppStatus after =
        apps.awaitStatus(
            "recreate", s -> !before.envRevision.equals(s.envRevision) && Apps.upToDate(s, 2));
    List<AvailabilityPoint> timeline = fixture.simulator.world().timeline(after.appId);
    assertThat(Apps.minServingOnceAllServed(timeline, 2))
        .as("Recreate takes every replica down together")
        .isZero();
  }

  @Test
  void aComposeChange_reachesEveryCvmThroughTheTwoPhaseUpdate_inOneRestartEach(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    secrets(apps, "composed");
    create(apps, "composed", 2, spec -> {});
    PhalaAppStatus before = apps.awaitStatus("composed", s -> Apps.upToDate(s, 2));

    apps.edit("composed", a -> a.getSpec().compose.inline = Apps.COMPOSE + "      - EXTRA=1\n");

    PhalaAppStatus after =
        apps.awaitStatus(
            "composed",
            s ->
                !before.composeRevision.equals(s.composeRevision)
                    && Apps.upToDate(s, 2)
                    && Apps.condition(s, "Progressing", "False"));
    for (CvmSnapshot cvm : cvmsOf(after.appId)) {
      assertThat(cvm.compose().dockerComposeFile()).endsWith("      - EXTRA=1\n");
      assertThat(cvm.boots()).isEqualTo(2);
      assertThat(Apps.booted(fixture.simulator, cvm.vmUuid().toString()))
          .containsEntry("API_TOKEN", "composed-token");
    }
  }

  @Test
  void deletePolicy_removesEveryCvm_retainLeavesThemRunning(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    secrets(apps, "deleted");
    secrets(apps, "retained");
    create(apps, "deleted", 2, spec -> {});
    create(apps, "retained", 1, spec -> spec.deletionPolicy = PhalaAppSpec.DeletionPolicy.Retain);
    String deletedApp = apps.awaitStatus("deleted", s -> Apps.upToDate(s, 2)).appId;
    String retainedApp = apps.awaitStatus("retained", s -> Apps.upToDate(s, 1)).appId;

    client.resources(PhalaApp.class).inNamespace(ns.name()).withName("deleted").delete();
    client.resources(PhalaApp.class).inNamespace(ns.name()).withName("retained").delete();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> apps.get("deleted") == null && apps.get("retained") == null);
    assertThat(cvmsOf(deletedApp)).isEmpty();
    assertThat(cvmsOf(retainedApp)).hasSize(1);
  }

  @Test
  void aCvmLeftByACrashBeforeTheStatusWrite_isAdoptedByName_notDeployedTwice(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    secrets(apps, "adopted");
    String identity =
        client
            .configMaps()
            .inNamespace(ns.name())
            .withName(Installation.NAME)
            .get()
            .getData()
            .get(Installation.IDENTITY);
    String name = CvmNames.of(identity, ns.name(), "adopted");
    PhalaCloudClient phala =
        new PhalaCloudClient(
            PhalaCloudConfig.of(fixture.simulator.baseUrl(), fixture.simulator.apiKey()),
            ApiCallObserver.NONE);
    var provisioned =
        phala.provision(
            new ProvisionRequest(name, Apps.COMPOSE, null, List.of(), "tdx.small", 40, null));
    phala.commit(
        provisioned.appId(),
        provisioned.composeHash(),
        EnvSealer.seal(EnvPublicKey.fromHex(provisioned.envPublicKey()), EnvSet.empty()),
        List.of());

    create(apps, "adopted", 1, spec -> {});

    PhalaAppStatus status = apps.awaitStatus("adopted", s -> Apps.upToDate(s, 1));
    assertThat(status.appId).isEqualTo(provisioned.appId());
    assertThat(cvmsOf(provisioned.appId())).hasSize(1);
    assertThat(Apps.booted(fixture.simulator, status.cvms.get(0).cvmId))
        .containsEntry("API_TOKEN", "adopted-token");
  }
}
