package cloud.phala.operator.cloud.dstack;

/**
 * The dstack verifier could not be reached, timed out, or gave an answer that is not its API's (an
 * HTTP error, not JSON, too large, a field of the wrong type). The message names what was wrong and
 * never carries the request or the answer.
 */
public final class DstackVerifierException extends RuntimeException {
  DstackVerifierException(String message) {
    super(message);
  }

  DstackVerifierException(String message, Throwable cause) {
    super(message, cause);
  }
}
