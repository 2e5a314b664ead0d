package cloud.phala.operator.simulator.http;

import java.util.Optional;

/** Decides, per API request, whether to inject a fault. */
public interface HttpFaults {
  /** {@code cvmId} is the request's {@code cvm_id} path parameter, if it has one. */
  Optional<HttpFault> next(String method, String path, String cvmId);

  HttpFaults NONE = (method, path, cvmId) -> Optional.empty();
}
