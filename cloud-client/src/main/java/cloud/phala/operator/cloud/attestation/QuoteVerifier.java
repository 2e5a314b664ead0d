package cloud.phala.operator.cloud.attestation;

/**
 * Verifies a quote's signature chain. Intel DCAP verification is not built yet; the simulator's
 * test root is verified by a test-only implementation.
 */
@FunctionalInterface
public interface QuoteVerifier {
  /** Returns an empty string when the quote verifies, otherwise why it does not. */
  String whyNotVerified(byte[] quote);
}
