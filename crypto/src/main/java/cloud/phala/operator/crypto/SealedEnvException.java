package cloud.phala.operator.crypto;

/**
 * A sealed env could not be opened. Deliberately one message for every cause (wrong key, tampering,
 * bad plaintext), so the error tells an attacker nothing about which check failed.
 */
public final class SealedEnvException extends RuntimeException {
  SealedEnvException() {
    super("sealed env could not be opened", null, false, false);
  }
}
