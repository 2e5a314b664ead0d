package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Rollout;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Counts, from watches on the real API server, the Kubernetes writes one rotation of 3 replicas
 * costs (status patches that changed the PhalaApp, and Events), and the writes of an app at rest.
 */
@KubeApiTest
class RotationWritesIT {
  /**
   * 3 intents (one per restarted CVM, each on disk before its PATCH, each carrying what the pass
   * after the previous PATCH saw), the final status (Ready once the last CVM serves, which no
   * intent can say beforehand) and 1 Event for the rollout. 4 would mean no Event at all.
   */
  static final int WRITES_PER_ROTATION = 5;

  private static OperatorFixture fixture;

  @BeforeAll
  static void start(KubernetesClient client, TestNamespace ns) {
    fixture = OperatorFixture.start(client, ns.name(), Duration.ofMillis(600));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void aRotationOfThreeReplicas_costsFourStatusWritesAndOneEvent_andAnAppAtRestWritesNothing(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("db", Map.of("url", "postgres://db-1"));
    apps.secret("api", Map.of("token", "token-1"));
    apps.create("writes", 3, spec -> {});
    PhalaAppStatus ready =
        apps.awaitStatus("writes", s -> Apps.upToDate(s, 3) && Apps.condition(s, "Ready", "True"));
    awaitSteadyPasses("writes", 2);

    try (Writes writes = Writes.watch(client, ns.name(), "writes")) {
      awaitSteadyPasses("writes", 3);
      assertThat(writes.all()).as("writes of an app at rest over 3 passes").isEmpty();

      apps.secret("api", Map.of("token", "token-2"));
      apps.awaitStatus(
          "writes",
          s ->
              !ready.envRevision.equals(s.envRevision)
                  && Apps.upToDate(s, 3)
                  && Apps.condition(s, "Ready", "True")
                  && Apps.condition(s, "Progressing", "False"));
      int rotation = writes.all().size();
      awaitSteadyPasses("writes", 3);

      assertThat(writes.all())
          .as("writes of one rotation of 3 replicas, then 3 passes at rest")
          .hasSize(rotation)
          .hasSizeLessThanOrEqualTo(WRITES_PER_ROTATION)
          .filteredOn(w -> w.startsWith("event "))
          .hasSize(1);
    }
  }

  @Test
  void aRotationTwoCvmsAtATime_writesTheIntentsOfAPassInOneWrite(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("pair-db", Map.of("url", "postgres://db-1"));
    apps.secret("pair-api", Map.of("token", "token-1"));
    apps.create(
        "pair",
        3,
        spec -> {
          spec.env =
              List.of(
                  Apps.fromSecret("DATABASE_URL", "pair-db", "url"),
                  Apps.fromSecret("API_TOKEN", "pair-api", "token"));
          spec.rollout = new Rollout();
          spec.rollout.maxUnavailable = new IntOrString(2);
        });
    PhalaAppStatus ready =
        apps.awaitStatus("pair", s -> Apps.upToDate(s, 3) && Apps.condition(s, "Ready", "True"));
    awaitSteadyPasses("pair", 2);

    try (Writes writes = Writes.watch(client, ns.name(), "pair")) {
      apps.secret("pair-api", Map.of("token", "token-2"));
      apps.awaitStatus(
          "pair",
          s ->
              !ready.envRevision.equals(s.envRevision)
                  && Apps.upToDate(s, 3)
                  && Apps.condition(s, "Progressing", "False"));
      awaitSteadyPasses("pair", 3);

      List<String> statuses = writes.all().stream().filter(w -> w.startsWith("status ")).toList();
      assertThat(statuses.get(0))
          .as("the first pass's two intents, in its first write")
          .containsPattern("(\"intent\".*){2}");
      assertThat(writes.all())
          .as("2 intent writes, a write when the first pair serves, the final one, 1 Event")
          .hasSizeLessThanOrEqualTo(WRITES_PER_ROTATION)
          .filteredOn(w -> w.startsWith("event "))
          .hasSize(1);
    }
  }

  /** Waits for {@code passes} more passes over the app (after one pass already under way). */
  private static void awaitSteadyPasses(String name, int passes) {
    String key = fixture.namespace + "/" + name;
    int from = fixture.hook.passes(key);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fixture.hook.passes(key) >= from + passes + 1);
  }

  /** The writes the API server saw: status changes of the PhalaApp and Events about it. */
  private static final class Writes implements AutoCloseable {
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final Watch apps;
    private final Watch events;

    private Writes(KubernetesClient client, String namespace, String name) {
      String version =
          client
              .resources(PhalaApp.class)
              .inNamespace(namespace)
              .withName(name)
              .get()
              .getMetadata()
              .getResourceVersion();
      this.apps =
          client
              .resources(PhalaApp.class)
              .inNamespace(namespace)
              .withName(name)
              .watch(
                  version,
                  new Recorder<>(app -> "status " + Serialization.asJson(app.getStatus()), seen));
      var about =
          client.v1().events().inNamespace(namespace).withField("involvedObject.name", name);
      this.events =
          about.watch(
              about.list().getMetadata().getResourceVersion(),
              new Recorder<Event>(e -> "event " + e.getReason() + ": " + e.getMessage(), seen));
    }

    static Writes watch(KubernetesClient client, String namespace, String name) {
      return new Writes(client, namespace, name);
    }

    List<String> all() {
      return List.copyOf(seen);
    }

    @Override
    public void close() {
      apps.close();
      events.close();
    }
  }

  private record Recorder<T>(java.util.function.Function<T, String> describe, List<String> seen)
      implements Watcher<T> {
    @Override
    public void eventReceived(Action action, T resource) {
      if (action == Action.ADDED || action == Action.MODIFIED) {
        seen.add(describe.apply(resource));
      }
    }

    @Override
    public void onClose(WatcherException cause) {}
  }
}
