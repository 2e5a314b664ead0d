package cloud.phala.operator.cloud;

/**
 * A call that creates or restarts something was answered 502 or 504: a gateway gave up on Phala
 * Cloud, which may have carried the call out. It was not resent; the caller must settle it from
 * what it observes (as after a lost answer, {@link PhalaTransportException}). The message names the
 * operation and the status, never a request body or header.
 */
public final class PhalaOutcomeUnknownException extends PhalaApiException {
  PhalaOutcomeUnknownException(String operation, int status, String errorCode, String message) {
    super(
        operation,
        status,
        errorCode,
        message + "; the outcome is unknown (it may have been carried out), so it was not resent");
  }

  @Override
  public boolean mayHaveBeenApplied() {
    return true;
  }
}
