package cloud.phala.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crypto.EnvSet;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StateStreamTest {
  @RegisterExtension
  static final SimulatorExtension SIM =
      new SimulatorExtension(Duration.ofMillis(500), Duration.ofMillis(200));

  @Test
  void theStateStream_sendsStateEventsAndCompletesWhenTheTargetIsReached() throws Exception {
    JsonNode vm =
        new Deployments(SIM.client())
            .deploy("sse-app", EnvSet.builder().put("API_KEY", "x").build());

    List<String> events =
        readEvents(
            "/api/v1/cvms/" + vm.get("vm_uuid").asText() + "/state?target=running&timeout=10");

    assertThat(events).first().asString().startsWith("state:").contains("\"status\":\"starting\"");
    assertThat(events).last().asString().startsWith("complete:").contains("\"status\":\"running\"");
  }

  @Test
  void withoutATarget_theStateIsPlainJson() {
    JsonNode vm =
        new Deployments(SIM.client())
            .deploy("json-state", EnvSet.builder().put("API_KEY", "x").build());

    JsonNode state =
        SIM.client().get("/api/v1/cvms/" + vm.get("vm_uuid").asText() + "/state").json();

    assertThat(state.get("status").asText()).isEqualTo("starting");
    assertThat(state.get("name").asText()).isEqualTo("json-state");
  }

  private List<String> readEvents(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(SIM.simulator().rootUrl() + path))
            .header("X-API-Key", SIM.simulator().apiKey())
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<java.io.InputStream> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.headers().firstValue("content-type")).contains("text/event-stream");
    List<String> events = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String event = null;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          events.add(event + ":" + line.substring(6));
        }
      }
    }
    return events;
  }
}
