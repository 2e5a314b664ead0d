package cloud.phala.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.simulator.hooks.FaultRule;
import cloud.phala.operator.simulator.http.ApiAnswer;
import cloud.phala.operator.simulator.time.VirtualTime;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A simulator with no server, on virtual time: requests go straight to its dispatcher. */
@Timeout(10)
class InProcessSimulatorTest {
  private static final Duration BOOT = Duration.ofMinutes(10);
  private static final Duration SHUTDOWN = Duration.ofMinutes(3);

  private final VirtualTime time = new VirtualTime();
  private final PhalaSimulator simulator =
      PhalaSimulator.inProcess(
          SimulatorConfig.defaults().withBootTime(BOOT).withShutdownTime(SHUTDOWN), time);
  private final InProcessCalls calls = new InProcessCalls(simulator);

  @AfterEach
  void close() {
    simulator.close();
  }

  private String status(String cvmId) {
    return calls.get("/api/v1/cvms/" + cvmId).path("status").asText();
  }

  @Test
  void aDeployedCvm_startsRunningExactlyWhenVirtualTimePassesItsBootTime() {
    String id = calls.deploy("web").get("id").asText();

    assertThat(status(id)).isEqualTo("starting");
    time.advance(BOOT.minusMillis(1));
    assertThat(status(id)).isEqualTo("starting");
    time.advance(Duration.ofMillis(1));
    assertThat(status(id)).isEqualTo("running");
    assertThat(calls.get("/api/v1/cvms/" + id).path("in_progress").asBoolean()).isFalse();
  }

  @Test
  void aRestart_shutsDownThenBootsOnVirtualTime() {
    String id = calls.deploy("web").get("id").asText();
    time.advance(BOOT);

    calls.send("POST", "/api/v1/cvms/" + id + "/restart", null);

    assertThat(status(id)).isEqualTo("restarting");
    time.advance(SHUTDOWN);
    assertThat(status(id)).isEqualTo("starting");
    assertThat(time.nextDueIn()).contains(BOOT);
    time.advanceToNext();
    assertThat(status(id)).isEqualTo("running");
  }

  @Test
  void theAvailabilityTimeline_isStampedWithVirtualTime() {
    String appId = calls.deploy("web").get("app_id").asText();
    time.advance(BOOT);

    JsonNode timeline = calls.get("/_sim/apps/" + appId + "/timeline");

    assertThat(timeline.findValuesAsText("at"))
        .containsExactly(
            VirtualTime.DEFAULT_START.toString(), VirtualTime.DEFAULT_START.plus(BOOT).toString());
  }

  @Test
  void aLatencyFault_movesVirtualTimeOnInsteadOfSleeping() {
    simulator
        .faults()
        .add(
            new FaultRule(
                null, FaultRule.Kind.LATENCY, "GET", null, null, 1.0, 1, 200, Duration.ofHours(1)));

    ApiAnswer answer = calls.send("GET", "/api/v1/cvms/paginated?page=1&page_size=10", null);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(time.now()).isEqualTo(VirtualTime.DEFAULT_START.plus(Duration.ofHours(1)));
    assertThat(simulator.requestLog().entries())
        .singleElement()
        .satisfies(e -> assertThat(e.millis()).isEqualTo(Duration.ofHours(1).toMillis()));
  }

  @Test
  void aRateLimitFault_answers429WithRetryAfter_andAWrongKeyIs401() {
    calls.json(
        "POST",
        "/_sim/faults",
        Map.of("kind", "rate_limit", "retry_after_s", 7, "count", 1, "path", "/api/v1/cvms.*"));

    ApiAnswer limited = calls.send("GET", "/api/v1/cvms/paginated", null);
    ApiAnswer wrongKey =
        simulator
            .dispatcher()
            .handle("GET", "/api/v1/cvms/paginated", Map.of("x-api-key", List.of("nope")), null);

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("retry-after")).contains("7");
    assertThat(wrongKey.status()).isEqualTo(401);
  }

  @Test
  void aDroppedConnection_isNoAnswer_andIsLoggedWithStatusZero() {
    simulator
        .faults()
        .add(
            new FaultRule(
                null,
                FaultRule.Kind.DROP_CONNECTION,
                null,
                Pattern.compile("/api/v1/cvms/paginated"),
                null,
                1.0,
                1,
                0,
                Duration.ZERO));

    ApiAnswer answer = calls.send("GET", "/api/v1/cvms/paginated", null);

    assertThat(answer.answered()).isFalse();
    assertThat(simulator.requestLog().entries()).singleElement().extracting("status").isEqualTo(0);
  }

  @Test
  void aStateStream_runsToCompletionOnVirtualTime() {
    String id = calls.deploy("web").get("id").asText();
    time.advance(BOOT.minusSeconds(30));

    ApiAnswer stream =
        calls.send("GET", "/api/v1/cvms/" + id + "/state?target=running&interval=5", null);

    assertThat(new String(stream.body(), java.nio.charset.StandardCharsets.UTF_8))
        .startsWith("event: state")
        .contains("event: complete");
    assertThat(time.now()).isAfterOrEqualTo(VirtualTime.DEFAULT_START.plus(BOOT));
  }
}
