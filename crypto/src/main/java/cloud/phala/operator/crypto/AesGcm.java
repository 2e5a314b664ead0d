package cloud.phala.operator.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a 128-bit tag and no AAD, as the guest uses it. JDK provider (AES-NI and CLMUL
 * intrinsics). Sealing reuses one Cipher per thread, initialised with each seal's fresh key and IV
 * (the JDK refuses to re-initialise it with the key and IV it last used, a guard against nonce
 * reuse that a fresh Cipher would not have).
 */
final class AesGcm {
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int TAG_BITS = 8 * SealedEnv.TAG_LENGTH;

  /**
   * Large inputs go to the JDK's GCM in pieces of this size. Fed 1 MiB per call, JDK 17 and 25 ran
   * at 20 to 75 MiB/s for 8 s and more on a busy machine (the 64 KiB+ path is called too rarely to
   * get compiled); in 16 KiB pieces they reached GB/s within seconds (bench/results/sealing.md).
   */
  private static final int CHUNK = 16 * 1024;

  private static final ThreadLocal<Cipher> SEALING = ThreadLocal.withInitial(AesGcm::newCipher);

  private AesGcm() {}

  /**
   * Encrypts {@code length} bytes of {@code buffer} at {@code offset} in place and appends the tag
   * after them; the IV is read from {@code buffer} at {@code ivOffset}.
   */
  static void encryptInPlace(byte[] key, byte[] buffer, int ivOffset, int offset, int length) {
    Cipher cipher = SEALING.get();
    try {
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, buffer, ivOffset, SealedEnv.IV_LENGTH));
      int in = offset;
      int out = offset;
      int end = offset + length;
      while (end - in > CHUNK) {
        out += cipher.update(buffer, in, CHUNK, buffer, out);
        in += CHUNK;
      }
      cipher.doFinal(buffer, in, end - in, buffer, out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable in this JDK", e);
    }
  }

  static byte[] decrypt(byte[] key, byte[] iv, byte[] in, int offset) {
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(
          Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
      return cipher.doFinal(in, offset, in.length - offset);
    } catch (GeneralSecurityException e) {
      throw new SealedEnvException();
    }
  }

  static int ciphertextLength(int plaintextLength) {
    return plaintextLength + SealedEnv.TAG_LENGTH;
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance(TRANSFORMATION);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable in this JDK", e);
    }
  }
}
