package cloud.phala.operator.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-256-GCM with a 128-bit tag and no AAD, as the guest uses it. JDK provider (AES-NI). */
final class AesGcm {
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private AesGcm() {}

  /** Encrypts {@code plaintext} into {@code out} at {@code offset}; returns ciphertext || tag. */
  static void encrypt(byte[] key, byte[] iv, byte[] plaintext, byte[] out, int offset) {
    try {
      Cipher cipher = init(Cipher.ENCRYPT_MODE, key, iv);
      cipher.doFinal(plaintext, 0, plaintext.length, out, offset);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable in this JDK", e);
    }
  }

  static byte[] decrypt(byte[] key, byte[] iv, byte[] in, int offset) {
    try {
      Cipher cipher = init(Cipher.DECRYPT_MODE, key, iv);
      return cipher.doFinal(in, offset, in.length - offset);
    } catch (GeneralSecurityException e) {
      throw new SealedEnvException();
    }
  }

  static int ciphertextLength(int plaintextLength) {
    return plaintextLength + SealedEnv.TAG_LENGTH;
  }

  private static Cipher init(int mode, byte[] key, byte[] iv) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance(TRANSFORMATION);
    cipher.init(
        mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(8 * SealedEnv.TAG_LENGTH, iv));
    return cipher;
  }
}
