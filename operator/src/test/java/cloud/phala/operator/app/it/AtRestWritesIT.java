package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.app.LeanCaches;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.simulator.hooks.FaultRule;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Apps at rest on the real API server: a Ready app and one halted after a boot failure get no
 * status write pass after pass (no MODIFIED event on a watch, the same resourceVersion); and the
 * operator's informer keeps the PhalaApps without managedFields or kubectl's last-applied
 * annotation, while its server-side-applied status writes go on working.
 */
@KubeApiTest
class AtRestWritesIT {
  private static final String PASSES = "operator_sdk_reconciliations_started_total";
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
  void readyAndHaltedApps_getNoStatusWrite_inSteadyPasses(KubernetesClient client, TestNamespace ns)
      throws Exception {
    Apps apps = new Apps(client, ns.name());
    apps.running("calm");
    apps.secret("stuck-db", Map.of("url", "postgres://stuck"));
    apps.secret("stuck-api", Map.of("token", "stuck-1"));
    apps.create(
        "stuck",
        2,
        spec ->
            spec.env =
                List.of(
                    Apps.fromSecret("DATABASE_URL", "stuck-db", "url"),
                    Apps.fromSecret("API_TOKEN", "stuck-api", "token")));
    apps.awaitStatus("stuck", s -> Apps.upToDate(s, 2));
    fixture
        .simulator
        .faults()
        .add(
            new FaultRule(
                null, FaultRule.Kind.BOOT_FAIL, null, null, null, 1.0, 1, 0, Duration.ZERO));
    apps.secret("stuck-api", Map.of("token", "stuck-2"));
    apps.awaitStatus("stuck", s -> "Halted".equals(s.phase));
    awaitPasses(4);
    String calm = apps.get("calm").getMetadata().getResourceVersion();
    String stuck = apps.get("stuck").getMetadata().getResourceVersion();

    List<String> modified = Collections.synchronizedList(new ArrayList<>());
    try (Watch watch =
        client.resources(PhalaApp.class).inNamespace(ns.name()).watch(recording(modified))) {
      awaitPasses(6);
    }

    assertThat(modified).as("status writes while at rest").isEmpty();
    assertThat(apps.get("calm").getMetadata().getResourceVersion()).isEqualTo(calm);
    assertThat(apps.get("stuck").getMetadata().getResourceVersion()).isEqualTo(stuck);
  }

  @Test
  void theInformerKeepsNoManagedFields_norTheLastAppliedAnnotation(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.running("lean");
    apps.edit(
        "lean",
        app ->
            app.getMetadata()
                .setAnnotations(
                    Map.of("team", "a", LeanCaches.LAST_APPLIED, "{\"spec\":{\"replicas\":1}}")));

    PhalaApp stored = apps.get("lean");
    assertThat(stored.getMetadata().getManagedFields()).isNotEmpty();
    assertThat(stored.getMetadata().getAnnotations()).containsKey(LeanCaches.LAST_APPLIED);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(fixture.operator.cachedApps(ns.name()))
                    .filteredOn(a -> "lean".equals(a.getMetadata().getName()))
                    .singleElement()
                    .satisfies(
                        cached -> {
                          assertThat(cached.getMetadata().getAnnotations())
                              .containsEntry("team", "a")
                              .doesNotContainKey(LeanCaches.LAST_APPLIED);
                          assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
                          assertThat(cached.getStatus().envRevision).isNotNull();
                        }));
    apps.secret("lean-api", Map.of("token", "lean-2"));
    apps.awaitStatus(
        "lean", s -> !s.envRevision.equals(stored.getStatus().envRevision) && Apps.upToDate(s, 1));
  }

  /** Waits until the operator has started {@code count} more passes (over every app). */
  private static void awaitPasses(int count) throws Exception {
    double before = passes();
    await().atMost(Duration.ofSeconds(60)).until(() -> passes() >= before + count);
  }

  private static double passes() throws Exception {
    return fixture
        .scrapeMetrics()
        .lines()
        .filter(l -> l.startsWith(PASSES))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static Watcher<PhalaApp> recording(List<String> modified) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, PhalaApp app) {
        if (action == Action.MODIFIED) {
          modified.add(app.getMetadata().getName() + "@" + app.getMetadata().getResourceVersion());
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }
}
