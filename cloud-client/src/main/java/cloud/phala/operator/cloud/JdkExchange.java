package cloud.phala.operator.cloud;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/** The real exchange: the connection's JDK HTTP client, within its limit on requests in flight. */
final class JdkExchange implements PhalaExchange {
  private final String baseUrl;
  private final Duration timeout;
  private final HttpClient http;
  private final Semaphore permits;

  JdkExchange(PhalaCloudConfig config, PhalaCloudConnection connection) {
    this.baseUrl = config.baseUrl().toString();
    this.timeout = config.requestTimeout();
    this.http = connection.http();
    this.permits = connection.permits();
  }

  @Override
  public Reply exchange(String method, String path, Map<String, List<String>> headers, byte[] body)
      throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(timeout)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach((name, values) -> values.forEach(value -> request.header(name, value)));
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for a request slot", e);
    }
    try {
      HttpResponse<byte[]> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(response.statusCode(), response.headers().map(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      permits.release();
    }
  }
}
