package cloud.phala.operator.crypto;

/** An env public key's KMS signature did not verify; the key must not be used. */
public final class KmsSignatureException extends RuntimeException {

  /** Why verification failed. */
  public enum Reason {
    MALFORMED,
    SIGNER_MISMATCH,
    TOO_OLD,
    FROM_THE_FUTURE
  }

  private final Reason reason;

  KmsSignatureException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
