package cloud.phala.operator.cloud;

import java.time.Duration;

/** Sees every attempt the client makes, for metrics. Status 0 means no answer. */
@FunctionalInterface
public interface ApiCallObserver {
  void observed(String operation, int status, Duration took);

  ApiCallObserver NONE = (operation, status, took) -> {};
}
