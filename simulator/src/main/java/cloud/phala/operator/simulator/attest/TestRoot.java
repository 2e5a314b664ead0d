package cloud.phala.operator.simulator.attest;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/**
 * The simulator's quote-signing root: an ECDSA P-256 key made when the simulator starts. It is a
 * test root, not Intel's: a quote it signs proves nothing about hardware, only that the simulator
 * made it. Signatures are r||s (IEEE P1363), as in a TDX quote's signature data.
 */
public final class TestRoot {
  public static final String ALGORITHM = "SHA256withECDSAinP1363Format";
  private final KeyPair keys;

  public TestRoot() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      this.keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 is required by every Java platform", e);
    }
  }

  public PublicKey publicKey() {
    return keys.getPublic();
  }

  /**
   * Whether {@code quote} is laid out as {@link SimQuote} makes it and its signature (r||s, first
   * in the signature data) verifies under this root.
   */
  public boolean verifies(byte[] quote) {
    int signed = SimQuote.SIGNED;
    if (quote.length < signed + 4 + 64) {
      return false;
    }
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initVerify(keys.getPublic());
      signature.update(quote, 0, signed);
      return signature.verify(java.util.Arrays.copyOfRange(quote, signed + 4, signed + 4 + 64));
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  byte[] sign(byte[] data) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(keys.getPrivate());
      signature.update(data);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing with the test root failed", e);
    }
  }
}
