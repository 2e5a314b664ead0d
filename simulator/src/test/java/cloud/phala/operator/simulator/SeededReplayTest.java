package cloud.phala.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.simulator.hooks.FaultRule;
import cloud.phala.operator.simulator.http.ApiAnswer;
import cloud.phala.operator.simulator.time.VirtualTime;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The same script against in-process simulators on virtual time: with the same seed (ids, fault
 * plan and fault draws all follow it) every run is the same; another seed gives another history.
 */
@Timeout(20)
class SeededReplayTest {
  private static final Duration BOOT = Duration.ofSeconds(40);
  private static final Duration SHUTDOWN = Duration.ofSeconds(15);

  /** What a run leaves behind, as text that compares equal only when the runs were the same. */
  record Trace(List<String> answers, List<String> requests, String cvms, List<String> timelines) {}

  @Test
  void twoRunsWithTheSameSeed_leaveTheSameRequestsIdsAndTimelines() {
    Trace first = run(7);
    Trace second = run(7);

    assertThat(first.requests()).hasSizeGreaterThan(100);
    assertThat(first.requests()).anyMatch(r -> r.contains(" 503 "));
    assertThat(second).isEqualTo(first);
  }

  @Test
  void anotherSeed_givesAnotherHistory() {
    Trace first = run(7);
    Trace other = run(8);

    assertThat(other.cvms()).isNotEqualTo(first.cvms());
    assertThat(other.requests()).isNotEqualTo(first.requests());
  }

  private static Trace run(long seed) {
    VirtualTime time = new VirtualTime();
    SimulatorConfig config =
        SimulatorConfig.defaults().withBootTime(BOOT).withShutdownTime(SHUTDOWN);
    try (PhalaSimulator simulator = PhalaSimulator.inProcess(config, time, seed)) {
      addRandomFaults(simulator, new Random(seed));
      InProcessCalls calls = new InProcessCalls(simulator);
      List<String> answers = new ArrayList<>();
      List<String> appIds = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        JsonNode vm = calls.deploy("app-" + i);
        answers.add(vm.toString());
        if (vm.has("app_id")) {
          appIds.add(vm.get("app_id").asText());
        }
      }
      Random script = new Random(1234);
      for (int step = 0; step < 150; step++) {
        List<String> ids = calls.get("/_sim/cvms").findValuesAsText("hashed_id");
        String cvm = ids.isEmpty() ? "none" : ids.get(script.nextInt(ids.size()));
        ApiAnswer answer =
            switch (script.nextInt(5)) {
              case 0 -> calls.send("GET", "/api/v1/cvms/" + cvm, null);
              case 1 -> calls.send("POST", "/api/v1/cvms/" + cvm + "/restart", null);
              case 2 -> calls.send("GET", "/api/v1/cvms/paginated?page=1&page_size=50", null);
              case 3 -> calls.send("POST", "/api/v1/cvms/" + cvm + "/replicas", Map.of());
              default -> calls.send("GET", "/api/v1/cvms/" + cvm + "/state", null);
            };
        answers.add(answer.status() + " " + new String(answer.body()));
        time.advance(Duration.ofMillis(script.nextInt(20_000)));
      }
      time.advance(Duration.ofMinutes(5));
      List<String> timelines = new ArrayList<>();
      appIds.forEach(a -> timelines.add(calls.get("/_sim/apps/" + a + "/timeline").toString()));
      List<String> requests =
          simulator.requestLog().entries().stream()
              .map(e -> e.at() + " " + e.method() + " " + e.path() + " " + e.status() + " ")
              .toList();
      return new Trace(answers, requests, calls.get("/_sim/cvms").toString(), timelines);
    }
  }

  /** A fault plan drawn from the seed: which kinds, how often, on which requests. */
  private static void addRandomFaults(PhalaSimulator simulator, Random random) {
    simulator.faults().add(rule(FaultRule.Kind.ERROR, "GET", 0.1 + random.nextDouble() / 4, 503));
    simulator.faults().add(rule(FaultRule.Kind.BUSY, "POST", random.nextDouble() / 4, 409));
    simulator
        .faults()
        .add(rule(FaultRule.Kind.ERROR_AFTER_APPLY, "POST", random.nextDouble() / 5, 502));
    simulator.faults().add(rule(FaultRule.Kind.LATENCY, null, random.nextDouble() / 3, 200));
    simulator.faults().add(rule(FaultRule.Kind.BOOT_FAIL, null, random.nextDouble() / 3, 0));
  }

  private static FaultRule rule(FaultRule.Kind kind, String method, double rate, int status) {
    return new FaultRule(
        null,
        kind,
        method,
        kind == FaultRule.Kind.BOOT_FAIL ? null : Pattern.compile("/api/v1/cvms.*"),
        null,
        rate,
        null,
        status,
        Duration.ofMillis(1500));
  }
}
