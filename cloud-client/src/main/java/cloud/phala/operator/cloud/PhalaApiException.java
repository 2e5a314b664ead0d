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
   * Whether a later attempt may succeed: {@link #saysNotProcessed()}, or a gateway's 502 or 504.
   * Only a call that is safe to repeat may be resent on the latter: see {@link
   * #saysNotProcessed()}.
   */
  public boolean isRetryable() {
    return saysNotProcessed() || status == 502 || status == 504;
  }

  /**
   * Whether the answer says the request was not carried out, so that even a call that creates or
   * restarts something may be sent again: 409 without an error code (busy), 429 and 503.
   *
   * <p>Busy and 429 are refusals before any work. 503 is the server declining to handle the request
   * (RFC 9110 section 15.6.4: overload or maintenance); the OpenAPI document gives it as "Node
   * under maintenance" on the compose update, and phala-cloud-protocol.md (sections 3.1 and 3.6)
   * records that the official Go SDK retries exactly 409-busy, 429 and 503, with no limit to safe
   * methods (ofetch's default, by contrast, retries only safe methods). 502 and 504 are not in that
   * list: they come from a gateway about its upstream (RFC 9110 sections 15.6.3 and 15.6.5), which
   * may have received the request and acted on it before the gateway gave up.
   *
   * <p>Inferred, not documented: the reference says neither that Phala Cloud's 502/504 can follow
   * an applied change nor that its 503 never does (a proxy that answers 503 for an upstream reset
   * would break the latter; the Go SDK makes the same bet).
   */
  public boolean saysNotProcessed() {
    return isBusy() || status == 429 || status == 503;
  }

  /**
   * Whether the request may have been carried out although this error was answered: true only for
   * {@link PhalaOutcomeUnknownException}. The caller must observe before trying again.
   */
  public boolean mayHaveBeenApplied() {
    return false;
  }
}
