package cloud.phala.operator.cloud;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * One JDK HTTP client (with its one selector thread) and one limit on requests in flight, shared by
 * every {@link PhalaCloudClient} made with it. The API key is only a header, so clients for many
 * keys need no more than one of each; a client made without one gets its own.
 */
public final class PhalaCloudConnection {
  private final HttpClient http;
  private final Semaphore permits;

  public PhalaCloudConnection(int maxConcurrentRequests) {
    if (maxConcurrentRequests < 1) {
      throw new IllegalArgumentException("maxConcurrentRequests must be at least 1");
    }
    this.permits = new Semaphore(maxConcurrentRequests, true);
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  HttpClient http() {
    return http;
  }

  Semaphore permits() {
    return permits;
  }
}
