package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.crd.EnvVarSource;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Rollout;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.simulator.cloud.AppRevision;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.hooks.FaultRule;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a tenant can write in their own namespace cannot choose what {@code onFailure: Rollback}
 * deploys, and the operator writes no Secret there: a Secret named like the rollback record of
 * earlier versions ({@code NAME-phala-rollback}) is neither overwritten nor read.
 */
@KubeApiTest
class RollbackTrustIT {
  private static final String FORGED = "tenant-forged-token";

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
  void aUsersSecretNamedLikeTheOldRollbackRecord_isNeitherWrittenNorOwned(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    Secret users =
        client
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName("own-phala-rollback")
                    .withNamespace(ns.name())
                    .endMetadata()
                    .withStringData(Map.of("note", "the user's own data"))
                    .build())
            .create();
    apps.secret("own-db", Map.of("url", "postgres://own"));
    apps.secret("own-api", Map.of("token", "own-1"));
    apps.create("own", 2, spec -> rollbackOnFailure(spec, "own"));
    PhalaAppStatus first = awaitRolledOut(apps, "own", null);
    apps.secret("own-api", Map.of("token", "own-2"));
    awaitRolledOut(apps, "own", first.envRevision);

    Secret after = client.secrets().inNamespace(ns.name()).withName("own-phala-rollback").get();
    assertThat(after.getMetadata().getResourceVersion())
        .as("the user's Secret was never written")
        .isEqualTo(users.getMetadata().getResourceVersion());
    assertThat(after.getMetadata().getOwnerReferences())
        .as("nor given an owner (that would garbage-collect it with the PhalaApp)")
        .isEmpty();
    assertThat(after.getData()).containsOnlyKeys("note");
  }

  @Test
  void aForgedRollbackSecret_changesNothingARollbackDeploys(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("forge-db", Map.of("url", "postgres://forge"));
    apps.secret("forge-api", Map.of("token", "forge-good"));
    apps.create("forge", 3, spec -> rollbackOnFailure(spec, "forge"));
    PhalaAppStatus good = awaitRolledOut(apps, "forge", null);
    forgeTheOldRollbackRecord(client, ns.name(), "forge", good);

    failNextBoot();
    apps.secret("forge-api", Map.of("token", "forge-broken"));

    PhalaAppStatus rolledBack =
        apps.awaitStatus(
            "forge",
            s ->
                !good.envRevision.equals(s.envRevision)
                    && "RolledBack".equals(s.rollout.action)
                    && Apps.condition(s, "Progressing", "False"));
    assertThat(rolledBack.cvms).allMatch(c -> good.envRevision.equals(c.envRevision));
    List<CvmSnapshot> cvms = fixture.simulator.world().listApp(good.appId);
    assertThat(cvms).hasSize(3).allMatch(c -> "running".equals(c.status()));
    for (CvmSnapshot cvm : cvms) {
      String token = Apps.booted(fixture.simulator, cvm.vmUuid().toString()).get("API_TOKEN");
      assertThat(FORGED.equals(token))
          .as("CVM %s booted the tenant's forged token", cvm.name())
          .isFalse();
      assertThat("forge-good".equals(token))
          .as("CVM %s booted the last good revision's token", cvm.name())
          .isTrue();
    }
  }

  @Test
  void anEditedRollbackRecord_isReplacedFromPhalaCloudsHistory_beforeARollbackUsesIt(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    PhalaAppStatus first = rolledOut(apps, "heal", "heal-1", null);
    PhalaAppStatus good = rolledOut(apps, "heal", "heal-2", first.envRevision);

    pointRecordAt(apps, "heal", first.rollout.rollbackRecord.phalaRevision);

    PhalaAppStatus healed =
        apps.awaitStatus(
            "heal",
            s ->
                !first.rollout.rollbackRecord.phalaRevision.equals(
                        s.rollout.rollbackRecord.phalaRevision)
                    && s.rollout.rollbackRecord.tag != null);
    assertThat(bootedBlobs(good.appId))
        .as("the replaced record names what a replica of the last good revision booted")
        .contains(
            fixture
                .simulator
                .world()
                .revision(good.appId, healed.rollout.rollbackRecord.phalaRevision)
                .encryptedEnv());
    failNextBoot();
    apps.secret("heal-api", Map.of("token", "heal-3"));
    apps.awaitStatus(
        "heal",
        s ->
            "RolledBack".equals(s.rollout.action)
                && Apps.condition(s, "Progressing", "False")
                && s.cvms.stream().allMatch(c -> good.envRevision.equals(c.envRevision)));
    assertEveryCvmBooted(good.appId, "heal-2");
  }

  @Test
  void anEditedRollbackRecordThatCannotBeReplaced_haltsTheRollback_deployingNothingItNames(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    PhalaAppStatus first = rolledOut(apps, "edit", "edit-1", null);
    PhalaAppStatus good = rolledOut(apps, "edit", "edit-2", first.envRevision);
    // the history cannot be read, so the record cannot be replaced from it
    FaultRule unreadable = failEveryGet("/api/v1/apps/" + good.appId + "/revisions", 500);
    try {
      pointRecordAt(apps, "edit", first.rollout.rollbackRecord.phalaRevision);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> events(client, ns, "edit", "RollbackNotKept"), e -> !e.isEmpty());
      assertThat(apps.get("edit").getStatus().rollout.rollbackRecord.phalaRevision)
          .isEqualTo(first.rollout.rollbackRecord.phalaRevision);

      failNextBoot();
      apps.secret("edit-api", Map.of("token", "edit-3"));

      PhalaAppStatus halted =
          apps.awaitStatus(
              "edit", s -> "Halted".equals(s.phase) && "Halted".equals(s.rollout.action));
      assertThat(halted.rollout.failure)
          .contains("not rolled back: status.rollout.rollbackRecord is missing or does not verify");
      assertThat(events(client, ns, "edit", "RolloutHalted"))
          .anyMatch(m -> m.contains("not rolled back to revision " + good.envRevision));
      assertThat(events(client, ns, "edit", "Redeployed")).isEmpty();
      for (CvmSnapshot cvm : fixture.simulator.world().listApp(good.appId)) {
        String token = Apps.booted(fixture.simulator, cvm.vmUuid().toString()).get("API_TOKEN");
        assertThat("edit-1".equals(token))
            .as("CVM %s booted the revision the edited record names", cvm.name())
            .isFalse();
        assertThat("error".equals(cvm.status()) || "edit-2".equals(token))
            .as("CVM %s failed or still runs the last good revision", cvm.name())
            .isTrue();
      }
    } finally {
      fixture.simulator.faults().remove(unreadable.id());
    }
  }

  @Test
  void aRecordedRevisionPhalaCloudNoLongerHas_haltsTheRollback_deployingNothing(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    PhalaAppStatus good = rolledOut(apps, "gone", "gone-1", null);
    String revision = good.rollout.rollbackRecord.phalaRevision;
    FaultRule gone = failEveryGet("/api/v1/apps/" + good.appId + "/revisions/" + revision, 404);
    try {
      failNextBoot();
      apps.secret("gone-api", Map.of("token", "gone-2"));

      PhalaAppStatus halted =
          apps.awaitStatus(
              "gone", s -> "Halted".equals(s.phase) && "Halted".equals(s.rollout.action));
      assertThat(halted.rollout.failure)
          .contains(
              "not rolled back: Phala Cloud has no revision " + revision + " of app " + good.appId);
      assertThat(events(client, ns, "gone", "Redeployed")).isEmpty();
    } finally {
      fixture.simulator.faults().remove(gone.id());
    }
  }

  /**
   * A tenant's edit of the record: it names another real revision of the same app, with its compose
   * hash, keeping the tag (which only the operator's key can make).
   */
  private static void pointRecordAt(Apps apps, String name, String phalaRevision) {
    AppRevision other =
        fixture.simulator.world().revision(apps.get(name).getStatus().appId, phalaRevision);
    apps.editStatus(
        name,
        status -> {
          status.rollout.rollbackRecord.phalaRevision = other.revisionId();
          status.rollout.rollbackRecord.composeHash = other.composeHash();
        });
  }

  private static List<String> events(
      KubernetesClient client, TestNamespace ns, String app, String reason) {
    return client.v1().events().inNamespace(ns.name()).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()) && app.equals(e.getInvolvedObject().getName()))
        .map(Event::getMessage)
        .toList();
  }

  private static List<String> bootedBlobs(String appId) {
    return fixture.simulator.world().listApp(appId).stream()
        .map(CvmSnapshot::bootedEncryptedEnv)
        .toList();
  }

  private static void assertEveryCvmBooted(String appId, String token) {
    List<CvmSnapshot> cvms = fixture.simulator.world().listApp(appId);
    assertThat(cvms).hasSize(2).allMatch(c -> "running".equals(c.status()));
    for (CvmSnapshot cvm : cvms) {
      assertThat(
              token.equals(
                  Apps.booted(fixture.simulator, cvm.vmUuid().toString()).get("API_TOKEN")))
          .as("CVM %s booted the last good revision's token", cvm.name())
          .isTrue();
    }
  }

  /**
   * App {@code name} (2 replicas, onFailure Rollback) rolled out with {@code token}, created with
   * its Secrets first if {@code previous} is null, and the Phala Cloud revision it ran recorded.
   */
  private static PhalaAppStatus rolledOut(Apps apps, String name, String token, String previous) {
    if (previous == null) {
      apps.secret(name + "-db", Map.of("url", "postgres://" + name));
    }
    apps.secret(name + "-api", Map.of("token", token));
    if (previous == null) {
      apps.create(name, 2, spec -> rollbackOnFailure(spec, name));
    }
    awaitRolledOut(apps, name, previous);
    return apps.awaitStatus(
        name,
        s ->
            s.rollout.rollbackRecord != null
                && s.envRevision.equals(s.rollout.lastGoodRevision)
                && !s.envRevision.equals(previous));
  }

  /**
   * What earlier versions read back for a rollback: the last good revision's name (public in
   * status) and an env sealed to the app's public key, which anyone can seal to.
   */
  private static void forgeTheOldRollbackRecord(
      KubernetesClient client, String namespace, String app, PhalaAppStatus good) {
    String key = fixture.simulator.world().listApp(good.appId).get(0).envPublicKey();
    EnvSet env =
        EnvSet.builder().put("DATABASE_URL", "postgres://forge").put("API_TOKEN", FORGED).build();
    Map<String, String> data = new LinkedHashMap<>();
    data.put("revision", good.envRevision);
    data.put("composeRevision", good.composeRevision);
    data.put("compose", Apps.COMPOSE);
    data.put("envKeys", String.join(",", env.keys()));
    data.put("sealedEnv", EnvSealer.seal(EnvPublicKey.fromHex(key), env).toHex());
    data.put("sealedTo", key);
    Map<String, String> encoded = new LinkedHashMap<>();
    data.forEach(
        (k, v) ->
            encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(app + "-phala-rollback")
                .withNamespace(namespace)
                .endMetadata()
                .withData(encoded)
                .build())
        .fieldManager("tenant")
        .forceConflicts()
        .serverSideApply();
  }

  /** Every replica runs a revision other than {@code previous}, and it is the last good one. */
  private static PhalaAppStatus awaitRolledOut(Apps apps, String name, String previous) {
    return apps.awaitStatus(
        name,
        s ->
            s.envRevision != null
                && !s.envRevision.equals(previous)
                && s.replicas != null
                && s.replicas.equals(s.updatedReplicas)
                && s.rollout != null
                && s.envRevision.equals(s.rollout.lastGoodRevision));
  }

  private static void rollbackOnFailure(cloud.phala.operator.crd.PhalaAppSpec spec, String prefix) {
    spec.env =
        List.<EnvVarSource>of(
            Apps.fromSecret("DATABASE_URL", prefix + "-db", "url"),
            Apps.fromSecret("API_TOKEN", prefix + "-api", "token"));
    spec.rollout = new Rollout();
    spec.rollout.onFailure = Rollout.OnFailure.Rollback;
  }

  /** Every GET of exactly {@code path} is answered {@code status}, until the rule is removed. */
  private static FaultRule failEveryGet(String path, int status) {
    return fixture
        .simulator
        .faults()
        .add(
            new FaultRule(
                null,
                FaultRule.Kind.ERROR,
                "GET",
                Pattern.compile(Pattern.quote(path)),
                null,
                1.0,
                null,
                status,
                Duration.ZERO));
  }

  private static void failNextBoot() {
    fixture
        .simulator
        .faults()
        .add(
            new FaultRule(
                null, FaultRule.Kind.BOOT_FAIL, null, null, null, 1.0, 1, 0, Duration.ZERO));
  }
}
