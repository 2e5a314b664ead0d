package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Rollout;
import cloud.phala.operator.simulator.cloud.AvailabilityPoint;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rollout paced by spec.minReadySeconds (each restarted replica runs that long before the next
 * goes down) and by spec.rollout.batchWindow (a burst of Secret changes makes one rollout).
 */
@KubeApiTest
class PacedRolloutIT {
  private static final int MIN_READY_SECONDS = 2;
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
  void withMinReadySeconds_noReplicaGoesDownUntilTheOneBeforeItHasServedThatLong(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("warm-db", Map.of("url", "postgres://warm"));
    apps.secret("warm-api", Map.of("token", "warm-1"));
    apps.create(
        "warm",
        3,
        spec -> {
          spec.minReadySeconds = MIN_READY_SECONDS;
          spec.env =
              List.of(
                  Apps.fromSecret("DATABASE_URL", "warm-db", "url"),
                  Apps.fromSecret("API_TOKEN", "warm-api", "token"));
        });
    PhalaAppStatus first =
        apps.awaitStatus("warm", s -> Apps.upToDate(s, 3) && Apps.condition(s, "Ready", "True"));
    assertThat(first.availableReplicas).isEqualTo(3);
    assertThat(first.cvms).allMatch(c -> c.runningSince != null);

    apps.secret("warm-api", Map.of("token", "warm-2"));

    PhalaAppStatus warming =
        apps.awaitStatus(
            "warm",
            s ->
                !first.envRevision.equals(s.envRevision)
                    && s.updatedReplicas != null
                    && s.updatedReplicas >= 1
                    && s.readyReplicas == 3
                    && s.availableReplicas < 3);
    assertThat(Apps.condition(warming, "Progressing", "True")).isTrue();
    assertThat(Apps.condition(warming, "Ready", "False")).isTrue();
    PhalaAppStatus done =
        apps.awaitStatus(
            "warm",
            s ->
                !first.envRevision.equals(s.envRevision)
                    && Apps.upToDate(s, 3)
                    && Apps.condition(s, "Ready", "True"));

    assertThat(done.availableReplicas).isEqualTo(3);
    for (PhalaAppStatus.CvmStatus cvm : done.cvms) {
      assertThat(Apps.booted(fixture.simulator, cvm.cvmId)).containsEntry("API_TOKEN", "warm-2");
    }
    List<AvailabilityPoint> timeline = fixture.simulator.world().timeline(done.appId);
    List<AvailabilityPoint> restarts = wentDown(timeline);
    assertThat(restarts).as("one restart per replica").hasSize(3);
    for (int i = 1; i < restarts.size(); i++) {
      AvailabilityPoint before = restarts.get(i - 1);
      AvailabilityPoint next = restarts.get(i);
      AvailabilityPoint allBack =
          timeline.stream()
              .filter(p -> p.at().isAfter(before.at()) && p.serving() == 3)
              .findFirst()
              .orElseThrow();
      assertThat(allBack.at())
          .as("replica %s went down only after the one before it was back", i + 1)
          .isBefore(next.at());
      assertThat(allBack.at().plusSeconds(MIN_READY_SECONDS))
          .as("and had served for minReadySeconds (the simulator's own times, a lower bound)")
          .isBeforeOrEqualTo(next.at());
    }
  }

  @Test
  void withABatchWindow_threeSecretUpdatesInQuickSuccession_makeOneRollout(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("burst-db", Map.of("url", "postgres://burst-1"));
    apps.secret("burst-api", Map.of("token", "burst-1"));
    apps.create(
        "burst",
        2,
        spec -> {
          spec.rollout = new Rollout();
          spec.rollout.batchWindow = "10s";
          spec.env =
              List.of(
                  Apps.fromSecret("DATABASE_URL", "burst-db", "url"),
                  Apps.fromSecret("API_TOKEN", "burst-api", "token"));
        });
    PhalaAppStatus first =
        apps.awaitStatus(
            "burst", s -> Apps.upToDate(s, 2) && Apps.condition(s, "Progressing", "False"));
    assertThat(first.rollout == null || first.rollout.waitingSince == null)
        .as("a first deploy never waits")
        .isTrue();

    apps.secret("burst-db", Map.of("url", "postgres://burst-2"));
    apps.secret("burst-api", Map.of("token", "burst-2"));
    apps.secret("burst-db", Map.of("url", "postgres://burst-3"));

    PhalaAppStatus waiting =
        apps.awaitStatus(
            "burst", s -> s.conditions.stream().anyMatch(c -> "BatchWindow".equals(c.getReason())));
    assertThat(waiting.rollout.waitingSince).isNotNull();
    assertThat(waiting.phase).isEqualTo("Rolling");
    PhalaAppStatus done =
        apps.awaitStatus(
            "burst",
            s ->
                !first.envRevision.equals(s.envRevision)
                    && Apps.upToDate(s, 2)
                    && Apps.condition(s, "Progressing", "False"));

    assertThat(done.rollout == null || done.rollout.waitingSince == null).isTrue();
    List<CvmSnapshot> cvms = fixture.simulator.world().listApp(done.appId);
    assertThat(cvms).hasSize(2);
    for (CvmSnapshot cvm : cvms) {
      assertThat(cvm.boots()).as("booted once for the deploy, once for the burst").isEqualTo(2);
      assertThat(Apps.booted(fixture.simulator, cvm.vmUuid().toString()))
          .containsEntry("DATABASE_URL", "postgres://burst-3")
          .containsEntry("API_TOKEN", "burst-2");
    }
    List<Event> announced =
        client.v1().events().inNamespace(ns.name()).list().getItems().stream()
            .filter(
                e ->
                    "BatchWindow".equals(e.getReason())
                        && "burst".equals(e.getInvolvedObject().getName()))
            .toList();
    assertThat(announced).singleElement().satisfies(e -> assertThat(e.getCount()).isOne());
  }

  /** The points at which one more CVM stopped serving (a restart began). */
  private static List<AvailabilityPoint> wentDown(List<AvailabilityPoint> timeline) {
    List<AvailabilityPoint> out = new ArrayList<>();
    for (int i = 1; i < timeline.size(); i++) {
      if (timeline.get(i).serving() < timeline.get(i - 1).serving()) {
        out.add(timeline.get(i));
      }
    }
    return out;
  }
}
