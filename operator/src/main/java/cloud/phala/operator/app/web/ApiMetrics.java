package cloud.phala.operator.app.web;

import cloud.phala.operator.cloud.ApiCallObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Phala Cloud API calls by operation and status code: {@code phala_api_requests_seconds}, a
 * histogram with a few fixed buckets so dashboards can show a p99 latency per operation.
 */
public final class ApiMetrics implements ApiCallObserver {
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };
  private final MeterRegistry registry;

  public ApiMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void observed(String operation, int status, Duration took) {
    Timer.builder("phala.api.requests")
        .description("Phala Cloud API calls (status 0: no answer)")
        .tag("operation", operation)
        .tag("status", Integer.toString(status))
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record(took);
  }
}
