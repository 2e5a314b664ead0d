package cloud.phala.operator.simulator;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Seals an arbitrary JSON plaintext (one the crypto module would refuse to build), for guest tests.
 */
final class SealedBlobs {
  private SealedBlobs() {}

  static String sealRawJson(String recipientHex, String json) {
    try {
      SecureRandom random = new SecureRandom();
      byte[] scalar = new byte[32];
      byte[] iv = new byte[12];
      random.nextBytes(scalar);
      random.nextBytes(iv);
      byte[] ephemeral = new byte[32];
      X25519.scalarMultBase(scalar, 0, ephemeral, 0);
      byte[] shared = new byte[32];
      X25519.calculateAgreement(scalar, 0, HexFormat.of().parseHex(recipientHex), 0, shared, 0);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, new SecretKeySpec(shared, "AES"), new GCMParameterSpec(128, iv));
      byte[] ct = cipher.doFinal(json.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(ephemeral)
          + HexFormat.of().formatHex(iv)
          + HexFormat.of().formatHex(ct);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
