package cloud.phala.operator.cloud;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends one API call: authentication, the pinned API version, the connection's concurrency limit,
 * and retries with backoff.
 *
 * <p>A call that is safe to repeat is retried on any transient failure: 409 busy, 429, 502, 503,
 * 504, or no answer. A call that creates or restarts something (a commit, a replica, an env or
 * compose update) is retried only when the answer says it was not carried out (409 busy, 429, 503:
 * {@link PhalaApiException#saysNotProcessed()} says why 503 counts and 502/504 do not). On 502 or
 * 504 it fails at once with {@link PhalaOutcomeUnknownException}, and with no answer with {@link
 * PhalaTransportException}: resending could create a second CVM or restart one twice, so the caller
 * settles it from observed state instead.
 */
final class HttpTransport {
  /** Waits between attempts; replaced in tests. */
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * One call: a name for messages and metrics, how to build the request, whether resending is safe.
   */
  record Call(String operation, String method, String path, byte[] body, boolean idempotent) {}

  private final PhalaCloudConfig config;
  private final HttpClient http;
  private final Semaphore permits;
  private final ObjectMapper json;
  private final ApiCallObserver observer;
  private final Sleeper sleeper;
  private final Clock clock;

  HttpTransport(
      PhalaCloudConfig config,
      PhalaCloudConnection connection,
      ObjectMapper json,
      ApiCallObserver observer,
      Sleeper sleeper,
      Clock clock) {
    this.config = config;
    this.json = json;
    this.observer = observer;
    this.sleeper = sleeper;
    this.clock = clock;
    this.permits = connection.permits();
    this.http = connection.http();
  }

  byte[] send(Call call) {
    RetryPolicy policy = config.retryPolicy();
    for (int attempt = 1; ; attempt++) {
      HttpResponse<byte[]> response;
      long start = System.nanoTime();
      try {
        response = exchange(call);
      } catch (IOException e) {
        observer.observed(call.operation(), 0, Duration.ofNanos(System.nanoTime() - start));
        if (!call.idempotent() || attempt >= policy.maxAttempts()) {
          throw new PhalaTransportException(call.operation(), !call.idempotent(), e);
        }
        pause(
            policy.delayAfter(attempt, Optional.empty(), ThreadLocalRandom.current()::nextDouble));
        continue;
      }
      observer.observed(
          call.operation(), response.statusCode(), Duration.ofNanos(System.nanoTime() - start));
      if (response.statusCode() / 100 == 2) {
        return response.body();
      }
      PhalaApiException failure = failure(call, response);
      if (!mayResend(call, failure) || attempt >= policy.maxAttempts()) {
        throw failure;
      }
      Optional<Duration> retryAfter =
          RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock);
      pause(policy.delayAfter(attempt, retryAfter, ThreadLocalRandom.current()::nextDouble));
    }
  }

  private PhalaApiException failure(Call call, HttpResponse<byte[]> response) {
    ErrorBody.Parsed error = ErrorBody.parse(json, response.body());
    PhalaApiException failure =
        new PhalaApiException(
            call.operation(), response.statusCode(), error.errorCode(), error.message());
    if (!call.idempotent() && failure.isRetryable() && !failure.saysNotProcessed()) {
      return new PhalaOutcomeUnknownException(
          call.operation(), response.statusCode(), error.errorCode(), error.message());
    }
    return failure;
  }

  /** Whether sending {@code call} again cannot do twice what the first attempt may have done. */
  private static boolean mayResend(Call call, PhalaApiException failure) {
    return call.idempotent() ? failure.isRetryable() : failure.saysNotProcessed();
  }

  private HttpResponse<byte[]> exchange(Call call) throws IOException {
    HttpRequest.BodyPublisher body =
        call.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(call.body());
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(config.baseUrl() + call.path()))
            .timeout(config.requestTimeout())
            .header("X-API-Key", config.apiKey())
            .header("X-Phala-Version", PhalaCloudConfig.API_VERSION)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("User-Agent", "phala-operator")
            .method(call.method(), body)
            .build();
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for a request slot", e);
    }
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      permits.release();
    }
  }

  private void pause(Duration delay) {
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while backing off", e);
    }
  }
}
