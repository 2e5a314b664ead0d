package cloud.phala.operator.cloud.attestation;

/**
 * An attestation answer that cannot be read. The message names the field or event index and the
 * problem, never the content, so a huge or hostile answer never ends up in a log.
 */
public final class MalformedAttestationException extends RuntimeException {
  /** Why the answer was refused. */
  public enum Problem {
    NOT_JSON,
    TOO_LARGE,
    MISSING_FIELD,
    BAD_FIELD,
    BAD_HEX,
    TOO_MANY_EVENTS,
    MISSING_EVENT,
    DUPLICATE_EVENT,
    BAD_QUOTE
  }

  private final Problem problem;

  public MalformedAttestationException(Problem problem, String message) {
    super(message);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
