package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.hooks.FaultRule;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 50 apps rotate one shared Secret while about one Phala Cloud request in five fails: 5xx, 429 with
 * Retry-After, 409 busy, added latency, dropped connections. Every app converges, none has fewer
 * than one of its two CVMs serving once both served, and every CVM booted the whole env.
 */
@KubeApiTest
class FaultSoakIT {
  private static final int APPS = 50;
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
  void fiftyAppsRotateThroughFaultsOnAFifthOfRequests_allConverge_noFloorBreached_noPartialEnv(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("db", Map.of("url", "postgres://soak"));
    apps.secret("api", Map.of("token", "soak-1"));
    List<String> names = IntStream.range(0, APPS).mapToObj(i -> "soak-" + i).toList();
    names.forEach(name -> apps.create(name, 2, spec -> {}));
    await()
        .atMost(Duration.ofMinutes(3))
        .until(() -> names.stream().allMatch(n -> ready(apps.get(n), null)));
    List<String> before = names.stream().map(n -> apps.get(n).getStatus().envRevision).toList();

    injectFaults(0.045);
    apps.secret("api", Map.of("token", "soak-2"));
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                IntStream.range(0, APPS)
                    .allMatch(i -> ready(apps.get(names.get(i)), before.get(i))));
    long injected =
        fixture.simulator.requestLog().entries().stream()
            .filter(e -> e.status() == 0 || e.status() == 409 || e.status() >= 429)
            .count();
    fixture.simulator.faults().clear();

    assertThat(injected).as("faulted requests").isGreaterThan(20);
    for (String name : names) {
      PhalaAppStatus status = apps.get(name).getStatus();
      List<CvmSnapshot> cvms = fixture.simulator.world().listApp(status.appId);
      assertThat(cvms).as(name).hasSize(2);
      for (CvmSnapshot cvm : cvms) {
        assertThat(Apps.booted(fixture.simulator, cvm.vmUuid().toString()))
            .as("the whole env of %s, never part of it", cvm.name())
            .isEqualTo(Map.of("DATABASE_URL", "postgres://soak", "API_TOKEN", "soak-2"));
      }
      assertThat(Apps.minServingOnceAllServed(fixture.simulator.world().timeline(status.appId), 2))
          .as("serving CVMs of %s", name)
          .isGreaterThanOrEqualTo(1);
    }
  }

  private static boolean ready(PhalaApp app, String notRevision) {
    PhalaAppStatus s = app == null ? null : app.getStatus();
    return s != null
        && Apps.upToDate(s, 2)
        && s.replicas == 2
        && Apps.condition(s, "Progressing", "False")
        && (notRevision == null || !notRevision.equals(s.envRevision));
  }

  /** Five kinds of fault, each on {@code rate} of API requests: about a fifth in all at 0.045. */
  private static void injectFaults(double rate) {
    List<FaultRule> rules =
        List.of(
            rule(FaultRule.Kind.ERROR, rate, 503, Duration.ZERO),
            rule(FaultRule.Kind.RATE_LIMIT, rate, 0, Duration.ofSeconds(1)),
            rule(FaultRule.Kind.BUSY, rate, 0, Duration.ZERO),
            rule(FaultRule.Kind.LATENCY, rate, 0, Duration.ofMillis(400)),
            rule(FaultRule.Kind.DROP_CONNECTION, rate, 0, Duration.ZERO));
    rules.forEach(fixture.simulator.faults()::add);
  }

  private static FaultRule rule(FaultRule.Kind kind, double rate, int status, Duration delay) {
    return new FaultRule(null, kind, null, null, null, rate, null, status, delay);
  }
}
