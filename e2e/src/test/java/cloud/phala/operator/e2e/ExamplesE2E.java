package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.app.OperatorRuntime;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.cloud.AvailabilityPoint;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl apply -f examples/<dir>/} for every example, exactly as examples/README.md says;
 * then its Secret change, with the app's availability polled from the simulator every 50 ms.
 */
@KubeApiTest
class ExamplesE2E {
  /** {@code --from-literal=KEY=value} or {@code "KEY":"value"} in a rotation command. */
  private static final Pattern NEW_VALUE =
      Pattern.compile("--from-literal=(\\w+)=(\\S+)|\"(\\w+)\":\"([^\"]*)\"");

  @Test
  void everyExample_appliesAsWritten_getsReady_andRollsASecretChangeWithinItsAvailabilityBudget(
      KubernetesClient admin, KubeApiServerHandle server, TestNamespace ns) throws Exception {
    Map<String, List<String>> guide = ExampleGuide.commands();
    assertThat(guide.keySet())
        .as("examples/README.md has a section for every directory under examples/")
        .containsExactlyInAnyOrderElementsOf(ExampleGuide.directories());
    UserShell user = UserShell.in(ExampleGuide.REPOSITORY, server, ns.name());

    try (PhalaSimulator simulator = Fixtures.fastSimulator();
        OperatorRuntime operator =
            OperatorRuntime.start(Fixtures.operatorConfig(ns, simulator), admin)) {
      Fixtures.secret(admin, ns.name(), "phala-api", Map.of("apiKey", simulator.apiKey()));
      for (String example : ExampleGuide.directories()) {
        run(example, guide.get(example), admin, user, ns, simulator);
      }

      String exported = OperatorMetrics.text(operator.httpPort());
      assertThat(OperatorMetrics.documented())
          .as("docs/metrics.md documents every metric the running operator exports")
          .containsAll(OperatorMetrics.families(exported));
      Map<String, Double> metrics = OperatorMetrics.samples(exported);
      assertThat(metrics.get("phala_rollouts_total{result=\"completed\"}"))
          .as("each example's first deploy and its change counted as completed rollouts")
          .isGreaterThanOrEqualTo(2.0 * guide.size());
      assertThat(metrics).doesNotContainKey("phala_rollouts_total{result=\"failed\"}");
    }
  }

  private static void run(
      String example,
      List<String> commands,
      KubernetesClient admin,
      UserShell user,
      TestNamespace ns,
      PhalaSimulator simulator)
      throws Exception {
    PhalaApp declared = ExampleGuide.app(example);
    String name = declared.getMetadata().getName();
    int replicas = ExampleGuide.replicas(declared);
    PhalaApp ready = null;
    String rotation = null;
    Instant rotationStart = null;
    AvailabilityProbe probe = null;
    try {
      for (String command : commands) {
        if (command.contains("--watch")) {
          if (ready == null) {
            ready = Fixtures.awaitReady(admin, ns.name(), name, replicas, null);
          }
          continue;
        }
        if (ready != null) {
          assertThat(rotation).as("one change per example, after it is ready").isNull();
          rotation = command;
          rotationStart = Instant.now();
          probe = AvailabilityProbe.start(simulator, ready.getStatus().appId);
        }
        user.run(command);
      }
      assertThat(rotation)
          .as("examples/%s changes a Secret after it is ready", example)
          .isNotNull();
      PhalaApp rolled = awaitRolledOut(admin, ns, name, replicas, ready.getStatus().envRevision);
      List<AvailabilityProbe.Sample> samples = probe.stop();

      int floor = ExampleGuide.minimumServing(declared);
      System.out.printf(
          "examples/%s: %d polls during the rollout, serving %d..%d of %d (budget: %d)%n",
          example,
          samples.size(),
          samples.stream().mapToInt(AvailabilityProbe.Sample::serving).min().orElse(-1),
          samples.stream().mapToInt(AvailabilityProbe.Sample::serving).max().orElse(-1),
          replicas,
          floor);
      assertThat(samples)
          .as("examples/%s: the probe saw the rollout (a CVM down or a surge CVM)", example)
          .anyMatch(s -> s.serving() != replicas || s.total() != replicas);
      assertThat(samples)
          .as(
              "examples/%s: at least %d of %d serving at every 50 ms poll",
              example, floor, replicas)
          .allMatch(s -> s.serving() >= floor);
      Instant from = rotationStart;
      assertThat(simulator.world().timeline(rolled.getStatus().appId))
          .as("examples/%s: and at every change the simulator recorded", example)
          .filteredOn(p -> !p.at().isBefore(from))
          .extracting(AvailabilityPoint::serving)
          .allMatch(serving -> serving >= floor);
      assertTheNewValuesReachedEveryCvm(example, rotation, rolled, simulator);
    } finally {
      if (probe != null) {
        probe.close();
      }
    }
  }

  /** Ready on a new revision, every CVM on it, no surge CVM left over. */
  private static PhalaApp awaitRolledOut(
      KubernetesClient admin, TestNamespace ns, String name, int replicas, String oldRevision) {
    return await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> Fixtures.get(admin, ns.name(), name),
            app -> {
              var status = app.getStatus();
              return status != null
                  && !oldRevision.equals(status.envRevision)
                  && "Ready".equals(status.phase)
                  && status.cvms != null
                  && status.cvms.size() == replicas
                  && status.cvms.stream().allMatch(c -> status.envRevision.equals(c.envRevision))
                  && status.conditions.stream()
                      .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
            });
  }

  /** Names keys and CVMs in failures, never the values. */
  private static void assertTheNewValuesReachedEveryCvm(
      String example, String rotation, PhalaApp rolled, PhalaSimulator simulator) {
    Map<String, String> changed = new LinkedHashMap<>();
    Matcher m = NEW_VALUE.matcher(rotation);
    while (m.find()) {
      if (m.group(1) != null) {
        changed.put(m.group(1), m.group(2));
      } else if (!m.group(3).equals("stringData")) {
        changed.put(m.group(3), m.group(4));
      }
    }
    assertThat(changed).as("examples/%s's change names a value", example).isNotEmpty();
    assertThat(simulator.world().listApp(rolled.getStatus().appId))
        .hasSize(rolled.getSpec().replicas);
    for (var cvm : rolled.getStatus().cvms) {
      Map<String, String> booted = Fixtures.booted(simulator, cvm.cvmId);
      changed.forEach(
          (key, value) ->
              assertThat(
                      booted.entrySet().stream()
                          .anyMatch(e -> e.getKey().endsWith(key) && e.getValue().equals(value)))
                  .as("examples/%s: CVM %s booted with the new %s", example, cvm.name, key)
                  .isTrue());
    }
  }
}
