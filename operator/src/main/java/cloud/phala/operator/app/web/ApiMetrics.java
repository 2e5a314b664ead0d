package cloud.phala.operator.app.web;

import cloud.phala.operator.cloud.ApiCallObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** Phala Cloud API calls by operation and status code: {@code phala_api_requests_seconds}. */
public final class ApiMetrics implements ApiCallObserver {
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
        .register(registry)
        .record(took);
  }
}
