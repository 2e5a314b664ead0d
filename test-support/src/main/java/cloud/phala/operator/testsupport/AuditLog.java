package cloud.phala.operator.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The API server's audit log of ServiceAccount requests (Metadata level: no bodies). Tells a test
 * exactly which verbs on which resources an operator used, and whether each was allowed.
 */
public final class AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  public AuditLog(Path file) {
    this.file = file;
  }

  /** One request: {@code resource} includes a subresource ({@code phalaapps/status}). */
  public record Request(
      String verb, String apiGroup, String resource, String namespace, int responseCode) {}

  /** Every request the ServiceAccount made so far, in order. */
  public List<Request> requestsBy(String namespace, String serviceAccount) {
    return requestsBy(namespace, serviceAccount, Instant.MIN);
  }

  /**
   * The requests the ServiceAccount made that the API server received at {@code since} or later,
   * e.g. only those of the operator that runs after an upgrade, under the same ServiceAccount.
   */
  public List<Request> requestsBy(String namespace, String serviceAccount, Instant since) {
    String user = "system:serviceaccount:" + namespace + ":" + serviceAccount;
    try (var lines = Files.lines(file)) {
      return lines
          .filter(line -> !line.isBlank())
          .map(AuditLog::parse)
          .filter(event -> user.equals(event.path("user").path("username").asText()))
          .filter(event -> !received(event).isBefore(since))
          .map(AuditLog::request)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Instant received(JsonNode event) {
    String at = event.path("requestReceivedTimestamp").asText();
    return at.isEmpty() ? Instant.MIN : Instant.parse(at);
  }

  private static Request request(JsonNode event) {
    JsonNode object = event.path("objectRef");
    String resource = object.path("resource").asText();
    String subresource = object.path("subresource").asText();
    return new Request(
        event.path("verb").asText(),
        object.path("apiGroup").asText(),
        subresource.isEmpty() ? resource : resource + "/" + subresource,
        object.path("namespace").asText(),
        event.path("responseStatus").path("code").asInt());
  }
}
