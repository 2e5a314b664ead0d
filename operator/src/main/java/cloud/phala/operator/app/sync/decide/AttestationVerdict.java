package cloud.phala.operator.app.sync.decide;

/**
 * What reading and checking one CVM's attestation found: the verdict, the first check that failed
 * (or the problem of a malformed answer), and why in a few words that never carry evidence content.
 */
public record AttestationVerdict(Kind kind, String failedStep, String message) {
  /** The verdict, as {@code status.cvms[].attestation.verdict} writes it. */
  public enum Kind {
    VERIFIED("Verified"),
    FAILED("Failed"),
    UNAVAILABLE("Unavailable"),
    MALFORMED("Malformed"),
    ERROR("Error");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    static Kind of(String wire) {
      for (Kind kind : values()) {
        if (kind.wire.equals(wire)) {
          return kind;
        }
      }
      return null;
    }
  }

  public static AttestationVerdict verified(String message) {
    return new AttestationVerdict(Kind.VERIFIED, null, message);
  }

  public static AttestationVerdict failed(String step, String message) {
    return new AttestationVerdict(Kind.FAILED, step, message);
  }

  public static AttestationVerdict unavailable(String message) {
    return new AttestationVerdict(Kind.UNAVAILABLE, null, message);
  }

  public static AttestationVerdict malformed(String problem, String message) {
    return new AttestationVerdict(Kind.MALFORMED, problem, message);
  }

  public static AttestationVerdict error(String message) {
    return new AttestationVerdict(Kind.ERROR, null, message);
  }

  /** The step an Error verdict names when the app's verifier is not configured operator-wide. */
  public static final String VERIFIER_NOT_CONFIGURED = "VERIFIER_NOT_CONFIGURED";

  /**
   * An Error (read again each pass, Required halts at readyTimeout) that the Attested condition
   * reports as VerifierNotConfigured.
   */
  public static AttestationVerdict verifierNotConfigured(String message) {
    return new AttestationVerdict(Kind.ERROR, VERIFIER_NOT_CONFIGURED, message);
  }

  boolean verifierNotConfigured() {
    return kind == Kind.ERROR && VERIFIER_NOT_CONFIGURED.equals(failedStep);
  }

  /** A verdict a later read may change: the attestation or the verifier could not be had. */
  boolean retried() {
    return kind == Kind.UNAVAILABLE || kind == Kind.ERROR;
  }
}
