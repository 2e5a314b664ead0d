package cloud.phala.operator.cloud;

import cloud.phala.operator.cloud.attestation.QuoteVerifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;

/**
 * Verifies the simulator's quotes: an ECDSA P-256 signature (r||s) over the 632-byte header and TD
 * report body, first in the signature data, by the simulator's test root. Test-only: Intel's DCAP
 * chain is not verified here.
 */
final class TestRootQuoteVerifier implements QuoteVerifier {
  private static final int SIGNED = 632;
  private final PublicKey root;

  TestRootQuoteVerifier(PublicKey root) {
    this.root = root;
  }

  @Override
  public String whyNotVerified(byte[] quote) {
    if (quote.length < SIGNED + 4 + 64) {
      return "the quote has no signature";
    }
    int length = ByteBuffer.wrap(quote).order(ByteOrder.LITTLE_ENDIAN).getInt(SIGNED);
    if (length < 64) {
      return "the quote has no signature";
    }
    try {
      Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
      signature.initVerify(root);
      signature.update(quote, 0, SIGNED);
      return signature.verify(Arrays.copyOfRange(quote, SIGNED + 4, SIGNED + 4 + 64))
          ? ""
          : "the quote is not signed by the test root";
    } catch (GeneralSecurityException e) {
      return "the quote signature cannot be checked";
    }
  }
}
