package cloud.phala.operator.simulator;

import cloud.phala.operator.simulator.http.ApiAnswer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** JSON calls into an in-process simulator's dispatcher, as a client would make them. */
final class InProcessCalls {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PhalaSimulator simulator;

  InProcessCalls(PhalaSimulator simulator) {
    this.simulator = simulator;
  }

  ApiAnswer send(String method, String path, Object body) {
    Map<String, List<String>> headers =
        Map.of(
            "X-API-Key", List.of(simulator.apiKey()),
            "Content-Type", List.of("application/json"));
    try {
      byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
      return simulator.dispatcher().handle(method, path, headers, bytes);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  JsonNode json(String method, String path, Object body) {
    return parse(send(method, path, body));
  }

  JsonNode get(String path) {
    return json("GET", path, null);
  }

  static JsonNode parse(ApiAnswer answer) {
    try {
      return answer.body().length == 0 ? MissingNode.getInstance() : JSON.readTree(answer.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Provision and commit an app with no env; the committed VM, or the failed answer's body. */
  JsonNode deploy(String name) {
    Map<String, Object> compose =
        Map.of("name", "", "docker_compose_file", Deployments.COMPOSE, "allowed_envs", List.of());
    JsonNode provisioned =
        json(
            "POST",
            "/api/v1/cvms/provision",
            Map.of(
                "name",
                name,
                "compose_file",
                compose,
                "instance_type",
                "tdx.small",
                "kms",
                "phala"));
    if (!provisioned.has("app_id")) {
      return provisioned;
    }
    return json(
        "POST",
        "/api/v1/cvms",
        Map.of(
            "app_id", provisioned.get("app_id").asText(),
            "compose_hash", provisioned.get("compose_hash").asText(),
            "encrypted_env", ""));
  }
}
