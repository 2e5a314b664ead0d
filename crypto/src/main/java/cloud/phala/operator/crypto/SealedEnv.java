package cloud.phala.operator.crypto;

import java.util.Arrays;

/**
 * A Phala sealed env blob: {@code ephemeral_pub(32) || iv(12) || ciphertext || tag(16)}, carried on
 * the wire as lowercase hex without {@code 0x}. Holds ciphertext only.
 */
public final class SealedEnv {
  static final int EPHEMERAL_KEY_LENGTH = 32;
  static final int IV_LENGTH = 12;
  static final int TAG_LENGTH = 16;
  static final int MIN_LENGTH = EPHEMERAL_KEY_LENGTH + IV_LENGTH + TAG_LENGTH;

  private final byte[] blob;

  SealedEnv(byte[] blob) {
    this.blob = blob;
  }

  /** Parses hex of either case with an optional {@code 0x}; checks the shape, not the content. */
  public static SealedEnv fromHex(String hex) {
    byte[] blob = Hex.decodeOptionalPrefix("sealed env", hex);
    if (blob.length < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "sealed env is "
              + blob.length
              + " bytes, shorter than the "
              + MIN_LENGTH
              + " bytes of an ephemeral key, IV and tag");
    }
    return new SealedEnv(blob);
  }

  public String toHex() {
    return Hex.encode(blob);
  }

  public int byteLength() {
    return blob.length;
  }

  byte[] ephemeralPublicKey() {
    return Arrays.copyOfRange(blob, 0, EPHEMERAL_KEY_LENGTH);
  }

  byte[] iv() {
    return Arrays.copyOfRange(blob, EPHEMERAL_KEY_LENGTH, EPHEMERAL_KEY_LENGTH + IV_LENGTH);
  }

  byte[] blob() {
    return blob;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SealedEnv other && Arrays.equals(blob, other.blob);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(blob);
  }

  @Override
  public String toString() {
    return "SealedEnv[" + blob.length + " bytes]";
  }
}
