package cloud.phala.operator.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Seals an env set to an app's public key exactly as the official clients do: a fresh X25519
 * ephemeral key, the raw shared secret as the AES-256 key (no KDF), a fresh 12-byte IV, AES-256-GCM
 * without AAD. Thread-safe.
 *
 * <p>Anyone holding the public key can seal: the blob proves nothing about who made it. That is why
 * the key itself must be checked against the KMS signature before it is used.
 */
public final class EnvSealer {
  private static final EnvSealer DEFAULT = new EnvSealer(new SecureRandom()::nextBytes);

  /** Where the ephemeral scalar and the IV come from; fixed only in the known-answer test. */
  @FunctionalInterface
  interface RandomBytes {
    void fill(byte[] bytes);
  }

  private static final int HEADER_LENGTH = SealedEnv.EPHEMERAL_KEY_LENGTH + SealedEnv.IV_LENGTH;

  private final RandomBytes random;

  EnvSealer(RandomBytes random) {
    this.random = random;
  }

  /** Seals with fresh randomness from a shared {@link SecureRandom}. */
  public static SealedEnv seal(EnvPublicKey recipient, EnvSet env) {
    return DEFAULT.sealWithOwnRandomness(recipient, env);
  }

  /**
   * Writes the payload straight into the blob and encrypts it there, so the plaintext exists in one
   * buffer only and the ciphertext overwrites it.
   */
  SealedEnv sealWithOwnRandomness(EnvPublicKey recipient, EnvSet env) {
    byte[] ephemeralScalar = new byte[X25519.SCALAR_SIZE];
    byte[] iv = new byte[SealedEnv.IV_LENGTH];
    random.fill(ephemeralScalar);
    random.fill(iv);
    EnvPayload.Encoding payload = EnvPayload.measure(env);
    byte[] blob = new byte[HEADER_LENGTH + AesGcm.ciphertextLength(payload.length())];
    byte[] key = new byte[X25519.POINT_SIZE];
    try {
      X25519.scalarMultBase(ephemeralScalar, 0, blob, 0);
      System.arraycopy(iv, 0, blob, SealedEnv.EPHEMERAL_KEY_LENGTH, SealedEnv.IV_LENGTH);
      if (!recipient.agree(ephemeralScalar, key)) {
        throw new IllegalStateException("X25519 agreement gave the all-zero secret");
      }
      payload.writeTo(blob, HEADER_LENGTH);
      AesGcm.encryptInPlace(
          key, blob, SealedEnv.EPHEMERAL_KEY_LENGTH, HEADER_LENGTH, payload.length());
    } catch (RuntimeException e) {
      Arrays.fill(blob, (byte) 0);
      throw e;
    } finally {
      Arrays.fill(key, (byte) 0);
      Arrays.fill(ephemeralScalar, (byte) 0);
    }
    return new SealedEnv(blob);
  }
}
