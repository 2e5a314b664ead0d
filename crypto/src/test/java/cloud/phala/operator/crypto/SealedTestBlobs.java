package cloud.phala.operator.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** Seals arbitrary plaintext, to test what the opener does with authentic but bad payloads. */
final class SealedTestBlobs {
  private SealedTestBlobs() {}

  static SealedEnv sealRaw(EnvPublicKey recipient, String plaintext) {
    SecureRandom random = new SecureRandom();
    byte[] scalar = new byte[32];
    byte[] iv = new byte[SealedEnv.IV_LENGTH];
    random.nextBytes(scalar);
    random.nextBytes(iv);
    byte[] body = plaintext.getBytes(StandardCharsets.UTF_8);
    byte[] blob = new byte[32 + SealedEnv.IV_LENGTH + body.length + SealedEnv.TAG_LENGTH];
    X25519.scalarMultBase(scalar, 0, blob, 0);
    System.arraycopy(iv, 0, blob, 32, iv.length);
    System.arraycopy(body, 0, blob, 32 + iv.length, body.length);
    byte[] key = new byte[32];
    X25519.calculateAgreement(scalar, 0, recipient.bytes(), 0, key, 0);
    AesGcm.encryptInPlace(key, blob, 32, 32 + SealedEnv.IV_LENGTH, body.length);
    return new SealedEnv(blob);
  }
}
