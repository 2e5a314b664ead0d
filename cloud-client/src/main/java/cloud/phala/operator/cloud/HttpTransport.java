package cloud.phala.operator.cloud;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

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
  /**
   * One call: a name for messages and metrics, how to build the request, whether resending is safe.
   */
  record Call(
      String operation,
      String method,
      String path,
      byte[] body,
      boolean idempotent,
      Map<String, String> extraHeaders) {
    Call(String operation, String method, String path, byte[] body, boolean idempotent) {
      this(operation, method, path, body, idempotent, Map.of());
    }

    Map<String, List<String>> headers(Map<String, List<String>> common) {
      if (extraHeaders.isEmpty()) {
        return common;
      }
      Map<String, List<String>> all = new LinkedHashMap<>(common);
      extraHeaders.forEach((k, v) -> all.put(k, List.of(v)));
      return all;
    }
  }

  /** What the transport waits, reads the time and draws jitter with. */
  record Timing(Sleeper sleeper, Clock clock, LongSupplier nanoTime, DoubleSupplier jitter) {}

  private final RetryPolicy policy;
  private final PhalaExchange exchange;
  private final Map<String, List<String>> headers;
  private final ObjectMapper json;
  private final ApiCallObserver observer;
  private final Timing timing;
  private final boolean resendBusyChanges;

  HttpTransport(
      PhalaCloudConfig config,
      PhalaExchange exchange,
      ObjectMapper json,
      ApiCallObserver observer,
      Timing timing) {
    this.policy = config.retryPolicy();
    this.exchange = exchange;
    this.json = json;
    this.observer = observer;
    this.timing = timing;
    this.headers = headers(config);
    this.resendBusyChanges = config.resendBusyChanges();
  }

  private static Map<String, List<String>> headers(PhalaCloudConfig config) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("X-API-Key", List.of(config.apiKey()));
    headers.put("X-Phala-Version", List.of(PhalaCloudConfig.API_VERSION));
    headers.put("Content-Type", List.of("application/json"));
    headers.put("Accept", List.of("application/json"));
    headers.put("User-Agent", List.of(config.userAgent()));
    return java.util.Collections.unmodifiableMap(headers);
  }

  byte[] send(Call call) {
    for (int attempt = 1; ; attempt++) {
      PhalaExchange.Reply response;
      long start = timing.nanoTime().getAsLong();
      try {
        response =
            exchange.exchange(call.method(), call.path(), call.headers(headers), call.body());
      } catch (IOException e) {
        observer.observed(call.operation(), 0, since(start));
        if (!call.idempotent() || attempt >= policy.maxAttempts()) {
          throw new PhalaTransportException(call.operation(), !call.idempotent(), e);
        }
        pause(policy.delayAfter(attempt, Optional.empty(), timing.jitter()));
        continue;
      }
      observer.observed(call.operation(), response.status(), since(start));
      if (response.status() / 100 == 2) {
        return response.body();
      }
      PhalaApiException failure = failure(call, response);
      if (!mayResend(call, failure) || attempt >= policy.maxAttempts()) {
        throw failure;
      }
      Optional<Duration> retryAfter =
          RetryAfter.parse(response.header("Retry-After").orElse(null), timing.clock());
      pause(policy.delayAfter(attempt, retryAfter, timing.jitter()));
    }
  }

  private Duration since(long startNanos) {
    return Duration.ofNanos(timing.nanoTime().getAsLong() - startNanos);
  }

  private PhalaApiException failure(Call call, PhalaExchange.Reply response) {
    ErrorBody.Parsed error = ErrorBody.parse(json, response.body());
    if (response.status() == 465) {
      return OnChainApprovalRequired.of(
          json, call.operation(), error.errorCode(), error.message(), response.body());
    }
    PhalaApiException failure =
        new PhalaApiException(
            call.operation(), response.status(), error.errorCode(), error.message());
    if (!call.idempotent() && failure.isRetryable() && !failure.saysNotProcessed()) {
      return new PhalaOutcomeUnknownException(
          call.operation(), response.status(), error.errorCode(), error.message());
    }
    return failure;
  }

  /** Whether sending {@code call} again cannot do twice what the first attempt may have done. */
  private boolean mayResend(Call call, PhalaApiException failure) {
    if (call.idempotent()) {
      return failure.isRetryable();
    }
    return failure.saysNotProcessed() && (resendBusyChanges || !failure.isBusy());
  }

  private void pause(Duration delay) {
    try {
      timing.sleeper().sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while backing off", e);
    }
  }
}
