package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.SimulatorConfig;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * OperatorMain with LOG_FORMAT=json (the chart's default) deploys an app and rotates a value: every
 * line it writes is one JSON object; the lines a pass logs about the PhalaApp carry its namespace,
 * name and revision as fields of {@code mdc}; no Secret value appears anywhere in its output.
 */
@KubeApiTest
class JsonLogIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyLineIsJson_andThePassesLinesCarryTheAppAndRevision_andNoValue(
      KubernetesClient client, KubeApiServerHandle server, TestNamespace ns) throws Exception {
    String first = "canary-json-log-" + UUID.randomUUID();
    String second = "canary-json-log-" + UUID.randomUUID();
    Apps apps = new Apps(client, ns.name());
    try (PhalaSimulator simulator =
        PhalaSimulator.start(
            SimulatorConfig.defaults()
                .withBootTime(Duration.ofMillis(300))
                .withShutdownTime(Duration.ofMillis(150)))) {
      apps.secret("phala-api", Map.of("apiKey", simulator.apiKey()));
      apps.secret("db", Map.of("url", "postgres://" + first));
      apps.secret("api", Map.of("token", first));
      List<String> output;
      PhalaAppStatus deployed;
      PhalaAppStatus rotated;
      try (OperatorProcess operator =
          OperatorProcess.start(server, env(ns.name(), simulator), "json-log.log")) {
        apps.create("logged", 1, spec -> {});
        deployed = apps.awaitStatus("logged", s -> Apps.upToDate(s, 1));
        apps.secret("api", Map.of("token", second));
        rotated =
            apps.awaitStatus(
                "logged", s -> !deployed.envRevision.equals(s.envRevision) && Apps.upToDate(s, 1));
        assertThat(operator.terminate()).as("output in %s", operator.log()).isZero();
        output = operator.lines();
        assertThat(Files.readString(operator.log().resolveSibling("json-log.log.err")))
            .doesNotContain(first, second);
      }

      List<JsonNode> lines = new ArrayList<>();
      for (String line : output) {
        assertThat(line).doesNotContain(first, second);
        JsonNode json = JSON.readTree(line);
        assertThat(json.isObject()).as(line).isTrue();
        assertThat(json.has("timestamp") && json.has("level") && json.has("loggerName"))
            .as(line)
            .isTrue();
        assertThat(json.path("formattedMessage").asText()).as(line).isNotBlank();
        lines.add(json);
      }
      List<JsonNode> events =
          lines.stream()
              .filter(l -> l.path("loggerName").asText().endsWith(".EventRecorder"))
              .filter(l -> l.path("mdc").path("resource.name").asText().equals("logged"))
              .toList();
      assertThat(events).as("the Events of the pass, as log lines").isNotEmpty();
      assertThat(events)
          .allSatisfy(
              l -> {
                assertThat(l.path("mdc").path("resource.namespace").asText()).isEqualTo(ns.name());
                assertThat(l.path("mdc").path("revision").asText()).isNotBlank();
              });
      assertThat(events)
          .extracting(l -> l.path("mdc").path("revision").asText())
          .contains(deployed.envRevision, rotated.envRevision);
    }
  }

  private static Map<String, String> env(String namespace, PhalaSimulator simulator) {
    return Map.of(
        "LOG_FORMAT",
        "json",
        "PHALA_API_URL",
        simulator.baseUrl(),
        "PHALA_DEFAULT_CREDENTIALS",
        namespace + "/phala-api/apiKey",
        "PHALA_DEFAULT_CREDENTIALS_NAMESPACES",
        namespace,
        "WATCH_NAMESPACES",
        namespace,
        "OPERATOR_NAMESPACE",
        namespace,
        "HTTP_PORT",
        "0",
        "PROGRESS_POLL",
        "0.2s",
        "STEADY_POLL",
        "3s");
  }
}
