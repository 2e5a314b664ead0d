package cloud.phala.operator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small HTTP client for the simulator's tests: JSON in, status and JSON out. */
final class SimClient {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One client for all tests: a client per call would leave hundreds of idle connections. */
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String root;
  private final String apiKey;
  private String version;

  SimClient(String root, String apiKey) {
    this.root = root;
    this.apiKey = apiKey;
  }

  SimClient withVersion(String phalaVersion) {
    SimClient copy = new SimClient(root, apiKey);
    copy.version = phalaVersion;
    return copy;
  }

  /** What came back. */
  record Reply(int status, Map<String, java.util.List<String>> headers, String text) {
    JsonNode json() {
      try {
        return text.isEmpty() ? MissingNode.getInstance() : JSON.readTree(text);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + text, e);
      }
    }
  }

  Reply get(String path) {
    return send("GET", path, null, Map.of());
  }

  Reply post(String path, Object body) {
    return send("POST", path, body, Map.of());
  }

  Reply patch(String path, Object body) {
    return send("PATCH", path, body, Map.of());
  }

  Reply delete(String path) {
    return send("DELETE", path, null, Map.of());
  }

  /** {@code body}: null, a String sent as is, or an object sent as JSON. */
  Reply send(String method, String path, Object body, Map<String, String> headers) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(30));
      if (apiKey != null) {
        request.header("X-API-Key", apiKey);
      }
      if (version != null) {
        request.header("X-Phala-Version", version);
      }
      String contentType = "application/json";
      HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
      if (body instanceof String text) {
        publisher = HttpRequest.BodyPublishers.ofString(text);
      } else if (body != null) {
        publisher = HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
      }
      request.header("Content-Type", headers.getOrDefault("Content-Type", contentType));
      headers.forEach(
          (k, v) -> {
            if (!k.equals("Content-Type")) {
              request.header(k, v);
            }
          });
      request.method(method, publisher);
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  SimClient withApiKey(String key) {
    SimClient copy = new SimClient(root, key);
    copy.version = version;
    return copy;
  }
}
