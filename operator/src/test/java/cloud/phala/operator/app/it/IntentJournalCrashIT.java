package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.app.journal.IntentJournal;
import cloud.phala.operator.app.plan.Action;
import cloud.phala.operator.app.sync.PassHook.Point;
import cloud.phala.operator.crd.EnvVarSource;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * CrashPointIT's crashes with {@code INTENT_JOURNAL=on}: the intent of an env update is in the
 * shard's journal ConfigMap, not in status, when the PATCH is sent; an operator that dies after the
 * journal write (before the PATCH, or after it and before the status write) still restarts every
 * CVM once; the journal holds no value; an entry left for an app deleted meanwhile goes.
 */
@KubeApiTest
class IntentJournalCrashIT {
  private static final Duration BOOT = Duration.ofMillis(1500);
  private static OperatorFixture fixture;

  @BeforeAll
  static void start(KubernetesClient client, TestNamespace ns) {
    fixture =
        OperatorFixture.start(client, ns.name(), BOOT, ns.name(), Map.of("INTENT_JOURNAL", "on"));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @ParameterizedTest
  @EnumSource(
      value = Point.class,
      names = {"INTENT_WRITTEN", "STEP_ACCEPTED", "PASS_DONE"})
  void aCrashAfterTheJournalWrite_restartsEveryCvmOnce_andKeepsTwoOfThreeServing(
      Point point, KubernetesClient client, TestNamespace ns) throws Exception {
    String name = "journal-" + point.name().toLowerCase().replace('_', '-');
    Apps apps = new Apps(client, ns.name());
    PhalaAppStatus ready = deploy(apps, name);

    fixture.hook.arm(point, step -> step == null || step instanceof Action.Update, r -> true);
    apps.secret(name + "-api", Map.of("token", "rotated-" + name));
    fixture.hook.awaitHit(Duration.ofSeconds(30));
    assertThat(entry(client, ns.name(), apps.get(name)))
        .as("the intent is in the journal when the step is sent")
        .isNotNull();
    fixture.crashAndRestart();

    PhalaAppStatus done = awaitRotated(apps, name, ready);
    assertEveryCvmBootedTwice(done, "rotated-" + name);
    assertThat(Apps.minServingOnceAllServed(fixture.simulator.world().timeline(done.appId), 3))
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void theJournal_holdsNoValue_andLosesTheEntryOnceStatusHoldsIt(
      KubernetesClient client, TestNamespace ns) throws Exception {
    Apps apps = new Apps(client, ns.name());
    PhalaAppStatus ready = deploy(apps, "canary");

    fixture.hook.arm(Point.STEP_ACCEPTED, step -> step instanceof Action.Update, r -> true);
    apps.secret("canary-api", Map.of("token", "canary-7f3a9c"));
    fixture.hook.awaitHit(Duration.ofSeconds(30));
    String journal = journal(client, ns.name()).getData().toString();
    fixture.crashAndRestart();

    assertThat(journal)
        .contains("envRevision")
        .contains("checkpoint")
        .doesNotContain("canary-7f3a9c")
        .doesNotContain("postgres");
    awaitRotated(apps, "canary", ready);
    PhalaApp app = apps.get("canary");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(entry(client, ns.name(), app)).isNull());
  }

  @Test
  void anEntryLeftForAnAppDeletedMeanwhile_goes_andTheAppsCvmsAreDeletedOnce(
      KubernetesClient client, TestNamespace ns) throws Exception {
    Apps apps = new Apps(client, ns.name());
    PhalaAppStatus ready = deploy(apps, "deleted");
    PhalaApp app = apps.get("deleted");

    fixture.hook.arm(Point.INTENT_WRITTEN, step -> step instanceof Action.Update, r -> true);
    apps.secret("deleted-api", Map.of("token", "rotated"));
    fixture.hook.awaitHit(Duration.ofSeconds(30));
    assertThat(entry(client, ns.name(), app)).isNotNull();
    client.resource(app).delete();
    fixture.crashAndRestart();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(apps.get("deleted")).isNull();
              assertThat(entry(client, ns.name(), app)).isNull();
            });
    assertThat(fixture.simulator.world().listApp(ready.appId)).isEmpty();
  }

  /**
   * One rotation of 3 replicas with the journal: no status write carries an intent (each is in the
   * journal before its PATCH), one Event; the journal is written once per intent and at most once
   * more per intent to drop it (a write of drops alone when no pass waits); the counts are printed
   * for docs/operator.md.
   */
  @Test
  void aRotationWithTheJournal_writesNoIntentToStatus_andOneEvent(
      KubernetesClient client, TestNamespace ns) throws Exception {
    Apps apps = new Apps(client, ns.name());
    PhalaAppStatus ready = deploy(apps, "counted");
    PhalaApp app = apps.get("counted");
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    String version = app.getMetadata().getResourceVersion();
    try (var statuses =
            client
                .resources(PhalaApp.class)
                .inNamespace(ns.name())
                .withName("counted")
                .watch(
                    version, recorder(a -> "status " + Serialization.asJson(a.getStatus()), seen));
        var journal =
            client
                .configMaps()
                .inNamespace(ns.name())
                .withName(IntentJournal.name("phala-operator"))
                .watch(version, recorder(c -> "journal", seen));
        var events =
            client
                .v1()
                .events()
                .inNamespace(ns.name())
                .withField("involvedObject.name", "counted")
                .watch(version, recorder(e -> "event " + e.getReason(), seen))) {
      apps.secret("counted-api", Map.of("token", "rotated"));
      awaitRotated(apps, "counted", ready);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(entry(client, ns.name(), app)).isNull());

      List<String> written = List.copyOf(seen);
      System.out.printf(
          "rotation of 3 with the journal: %d journal writes, %d status writes, %d Events%n",
          written.stream().filter(w -> w.equals("journal")).count(),
          written.stream().filter(w -> w.startsWith("status ")).count(),
          written.stream().filter(w -> w.startsWith("event ")).count());
      assertThat(written).filteredOn(w -> w.startsWith("event ")).hasSize(1);
      assertThat(written)
          .filteredOn(w -> w.startsWith("status "))
          .isNotEmpty()
          .noneMatch(w -> w.contains("\"intent\""));
      assertThat(written).filteredOn(w -> w.equals("journal")).hasSizeBetween(3, 6);
    }
  }

  private static <T> Watcher<T> recorder(
      java.util.function.Function<T, String> describe, List<String> seen) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        if (action == Action.MODIFIED || action == Action.ADDED) {
          seen.add(describe.apply(resource));
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  private static ConfigMap journal(KubernetesClient client, String namespace) {
    return client
        .configMaps()
        .inNamespace(namespace)
        .withName(IntentJournal.name("phala-operator"))
        .get();
  }

  private static String entry(KubernetesClient client, String namespace, PhalaApp app) {
    ConfigMap journal = journal(client, namespace);
    String key =
        app.getMetadata().getNamespace()
            + "."
            + app.getMetadata().getName()
            + "."
            + app.getMetadata().getUid();
    return journal == null || journal.getData() == null ? null : journal.getData().get(key);
  }

  private static PhalaAppStatus deploy(Apps apps, String name) {
    apps.secret(name + "-db", Map.of("url", "postgres://" + name));
    apps.secret(name + "-api", Map.of("token", "first"));
    apps.create(
        name,
        3,
        spec ->
            spec.env =
                List.<EnvVarSource>of(
                    Apps.fromSecret("DATABASE_URL", name + "-db", "url"),
                    Apps.fromSecret("API_TOKEN", name + "-api", "token")));
    return apps.awaitStatus(name, s -> Apps.upToDate(s, 3) && Apps.condition(s, "Ready", "True"));
  }

  private static PhalaAppStatus awaitRotated(Apps apps, String name, PhalaAppStatus before) {
    return apps.awaitStatus(
        name,
        s ->
            !before.envRevision.equals(s.envRevision)
                && Apps.upToDate(s, 3)
                && Apps.condition(s, "Progressing", "False")
                && s.cvms.stream().allMatch(c -> c.intent == null));
  }

  private static void assertEveryCvmBootedTwice(PhalaAppStatus status, String token) {
    List<CvmSnapshot> cvms = fixture.simulator.world().listApp(status.appId);
    assertThat(cvms).hasSize(3);
    for (CvmSnapshot cvm : cvms) {
      assertThat(cvm.boots())
          .as("boots of %s: the first and the rotation", cvm.name())
          .isEqualTo(2);
      assertThat(Apps.booted(fixture.simulator, cvm.vmUuid().toString()))
          .containsEntry("API_TOKEN", token);
    }
  }
}
