package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A PhalaApp fed by Secrets that External Secrets Operator and Sealed Secrets write, shaped as
 * those controllers shape them (see {@link ToolShapedSecrets}, docs/interop.md): a refresh that
 * only touches metadata restarts nothing, one that rewrites the values rolls them out, the tools'
 * owner references and metadata are left as they wrote them, and a Secret collected with its owner
 * is reported as missing while the CVMs keep their env.
 */
@KubeApiTest
class InteropIT {
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
  void externalSecretsTargets_feedTheApp_aMetadataRefreshRestartsNothing_aValueRefreshRollsOut(
      KubernetesClient client, TestNamespace ns) {
    ToolShapedSecrets tools = new ToolShapedSecrets(client, ns.name());
    Apps apps = new Apps(client, ns.name());
    String first = "canary-eso-" + UUID.randomUUID();
    GenericKubernetesResource dbOwner = tools.externalSecret("eso-db");
    GenericKubernetesResource apiOwner = tools.externalSecret("eso-api");
    tools.write(tools.externalSecretTarget(dbOwner, Map.of("url", first), Map.of(), Map.of()));
    tools.write(
        tools.externalSecretTarget(
            apiOwner, Map.of("token", first, "unused", "x"), Map.of(), Map.of()));
    apps.create("eso", 1, spec -> spec.env = env("eso-db", "eso-api"));
    PhalaAppStatus deployed = apps.awaitStatus("eso", s -> Apps.upToDate(s, 1));

    // ESO copies the ExternalSecret's new labels and annotations; the data and its hash stay
    Secret relabelled =
        tools.write(
            tools.externalSecretTarget(
                apiOwner,
                Map.of("token", first, "unused", "x"),
                Map.of("team", "payments"),
                Map.of("example.com/rotated-by", "vault")));
    PhalaAppStatus afterMetadata = awaitObserved(apps, "eso", relabelled);
    assertThat(afterMetadata.envRevision).isEqualTo(deployed.envRevision);
    assertThat(boots(deployed)).containsOnly(1);

    // a refresh that rewrites every key, with a new data-hash
    String second = "canary-eso-" + UUID.randomUUID();
    Secret db =
        tools.write(tools.externalSecretTarget(dbOwner, Map.of("url", second), Map.of(), Map.of()));
    Secret api =
        tools.write(
            tools.externalSecretTarget(
                apiOwner,
                Map.of("token", second, "unused", "y"),
                Map.of("team", "payments"),
                Map.of()));
    PhalaAppStatus rotated =
        apps.awaitStatus(
            "eso", s -> !deployed.envRevision.equals(s.envRevision) && Apps.upToDate(s, 1));
    assertThat(Apps.booted(fixture.simulator, rotated.cvms.get(0).cvmId))
        .containsEntry("DATABASE_URL", second)
        .containsEntry("API_TOKEN", second);

    assertUntouched(client, ns, db, api);
    assertThat(Serialization.asYaml(apps.get("eso").getStatus())).doesNotContain(first, second);
  }

  @Test
  void sealedSecretsOutput_feedsTheApp_andASecretCollectedWithItsOwner_isReportedMissing(
      KubernetesClient client, TestNamespace ns) {
    ToolShapedSecrets tools = new ToolShapedSecrets(client, ns.name());
    Apps apps = new Apps(client, ns.name());
    String first = "canary-sealed-" + UUID.randomUUID();
    GenericKubernetesResource dbOwner = tools.sealedSecret("sealed-db");
    GenericKubernetesResource apiOwner = tools.sealedSecret("sealed-api");
    tools.write(tools.unsealed(dbOwner, Map.of("url", first), Map.of()));
    tools.write(tools.unsealed(apiOwner, Map.of("token", first), Map.of()));
    apps.create("sealed", 1, spec -> spec.env = env("sealed-db", "sealed-api"));
    PhalaAppStatus deployed = apps.awaitStatus("sealed", s -> Apps.upToDate(s, 1));

    // the controller re-unseals after the SealedSecret's template gained a label
    Secret db = tools.write(tools.unsealed(dbOwner, Map.of("url", first), Map.of("tier", "db")));
    assertThat(awaitObserved(apps, "sealed", db).envRevision).isEqualTo(deployed.envRevision);
    assertThat(boots(deployed)).containsOnly(1);

    String second = "canary-sealed-" + UUID.randomUUID();
    Secret api = tools.write(tools.unsealed(apiOwner, Map.of("token", second), Map.of()));
    PhalaAppStatus rotated =
        apps.awaitStatus(
            "sealed", s -> !deployed.envRevision.equals(s.envRevision) && Apps.upToDate(s, 1));
    assertThat(Apps.booted(fixture.simulator, rotated.cvms.get(0).cvmId))
        .containsEntry("API_TOKEN", second);
    assertUntouched(client, ns, db, api);

    // kubectl delete sealedsecret sealed-api: the garbage collector deletes the Secret it owns
    tools.deleteAndCollect(apiOwner);
    PhalaAppStatus missing =
        apps.awaitStatus("sealed", s -> Apps.condition(s, "SecretsResolved", "False"));
    io.fabric8.kubernetes.api.model.Condition condition =
        missing.conditions.stream()
            .filter(c -> "SecretsResolved".equals(c.getType()))
            .findFirst()
            .orElseThrow();
    assertThat(condition.getReason()).isEqualTo("MissingSource");
    assertThat(condition.getMessage()).contains("Secret sealed-api not found");
    assertThat(Apps.booted(fixture.simulator, rotated.cvms.get(0).cvmId))
        .as("the CVM keeps the env it was given")
        .containsEntry("API_TOKEN", second);
    assertThat(boots(rotated)).containsOnly(2);
    assertThat(Serialization.asYaml(missing)).doesNotContain(first, second);
  }

  private static List<cloud.phala.operator.crd.EnvVarSource> env(String db, String api) {
    return List.of(
        Apps.fromSecret("DATABASE_URL", db, "url"), Apps.fromSecret("API_TOKEN", api, "token"));
  }

  /** Once a pass has read {@code secret} as written (status.observedInputs). */
  private static PhalaAppStatus awaitObserved(Apps apps, String app, Secret secret) {
    return apps.awaitStatus(
        app,
        s ->
            s.observedInputs != null
                && s.observedInputs.secrets != null
                && secret
                    .getMetadata()
                    .getResourceVersion()
                    .equals(s.observedInputs.secrets.get(secret.getMetadata().getName())));
  }

  private static List<Integer> boots(PhalaAppStatus status) {
    return fixture.simulator.world().listApp(status.appId).stream()
        .map(CvmSnapshot::boots)
        .toList();
  }

  /** The operator wrote nothing to the tools' Secrets: same metadata, same resourceVersion. */
  private static void assertUntouched(
      KubernetesClient client, TestNamespace ns, Secret... written) {
    for (Secret secret : written) {
      ObjectMeta now =
          client
              .secrets()
              .inNamespace(ns.name())
              .withName(secret.getMetadata().getName())
              .get()
              .getMetadata();
      assertThat(now.getResourceVersion()).isEqualTo(secret.getMetadata().getResourceVersion());
      assertThat(now.getOwnerReferences()).isEqualTo(secret.getMetadata().getOwnerReferences());
      assertThat(now.getLabels()).isEqualTo(secret.getMetadata().getLabels());
      assertThat(now.getAnnotations()).isEqualTo(secret.getMetadata().getAnnotations());
      assertThat(now.getFinalizers()).isEmpty();
    }
  }
}
