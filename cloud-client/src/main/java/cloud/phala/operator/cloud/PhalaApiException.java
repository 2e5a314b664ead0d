package cloud.phala.operator.cloud;

import java.util.Optional;

/**
 * Phala Cloud refused a request. Carries the HTTP status, the structured {@code error_code} when
 * there is one, and the server's message. Never a request body or header value.
 */
public class PhalaApiException extends RuntimeException {
  private final int status;
  private final String errorCode;
  private final String operation;

  PhalaApiException(String operation, int status, String errorCode, String message) {
    super(
        operation
            + " failed with HTTP "
            + status
            + (errorCode == null ? "" : " " + errorCode)
            + ": "
            + message);
    this.operation = operation;
    this.status = status;
    this.errorCode = errorCode;
  }

  public int status() {
    return status;
  }

  public Optional<String> errorCode() {
    return Optional.ofNullable(errorCode);
  }

  /** The operation, e.g. {@code PATCH /cvms/{cvm_id}/envs}. */
  public String operation() {
    return operation;
  }

  /** 404 {@code ERR-03-001}, or a plain 404. */
  public boolean isNotFound() {
    return status == 404;
  }

  /** Another operation is in progress on the CVM: wait and try again. */
  public boolean isBusy() {
    return status == 409 && errorCode == null;
  }

  /**
   * Whether the server said it did not process the request and a later attempt may succeed: 409
   * without an error code, 429, 502, 503, 504 (the Go SDK also retries exactly 409/429/503).
   */
  public boolean isRetryable() {
    return isBusy() || status == 429 || status == 502 || status == 503 || status == 504;
  }
}
