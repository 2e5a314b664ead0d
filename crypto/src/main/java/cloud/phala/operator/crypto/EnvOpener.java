package cloud.phala.operator.crypto;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Opens a sealed env with the app's private key, as the dstack guest does at boot. Used by the
 * simulator and by tests; the operator never holds a private key. Every failure after the blob's
 * shape was checked is the same {@link SealedEnvException}.
 */
public final class EnvOpener {
  private EnvOpener() {}

  /**
   * Returns the env pairs in the order sealed, duplicates included and unvalidated, so a caller can
   * apply the guest's own rules ({@code allowed_envs} filtering, limits) to them.
   */
  public static List<EnvVar> open(EnvPrivateKey key, SealedEnv sealed) {
    byte[] plaintext = openPlaintext(key, sealed);
    try {
      return EnvPayload.decode(plaintext);
    } catch (IOException | RuntimeException e) {
      throw new SealedEnvException();
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  /** The raw plaintext bytes. */
  public static byte[] openPlaintext(EnvPrivateKey key, SealedEnv sealed) {
    byte[] shared = key.agree(sealed.ephemeralPublicKey());
    try {
      return AesGcm.decrypt(
          shared, sealed.iv(), sealed.blob(), SealedEnv.EPHEMERAL_KEY_LENGTH + SealedEnv.IV_LENGTH);
    } finally {
      Arrays.fill(shared, (byte) 0);
    }
  }
}
