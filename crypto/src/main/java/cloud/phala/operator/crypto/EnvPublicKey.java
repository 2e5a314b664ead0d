package cloud.phala.operator.crypto;

import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * An app's X25519 env encryption public key (32 bytes). Parsed strictly from 64 hex characters,
 * with an optional {@code 0x}; a low-order point, which would give every sealer the all-zero shared
 * secret, is refused.
 */
public final class EnvPublicKey {
  static final int LENGTH = X25519.POINT_SIZE;

  /** Any clamped scalar multiplied by a low-order point gives zero; the scalar's value is moot. */
  private static final byte[] PROBE_SCALAR = new byte[X25519.SCALAR_SIZE];

  static {
    Arrays.fill(PROBE_SCALAR, (byte) 0x5a);
  }

  private final byte[] bytes;

  private EnvPublicKey(byte[] bytes) {
    this.bytes = bytes;
  }

  public static EnvPublicKey fromHex(String hex) {
    byte[] bytes = Hex.decodeExactLength("env encryption public key", hex, LENGTH);
    return fromBytes(bytes);
  }

  static EnvPublicKey fromBytes(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("env encryption public key must be " + LENGTH + " bytes");
    }
    byte[] shared = new byte[X25519.POINT_SIZE];
    if (!X25519.calculateAgreement(PROBE_SCALAR, 0, bytes, 0, shared, 0)) {
      throw new IllegalArgumentException(
          "env encryption public key is a low-order X25519 point: sealing to it would not be secret");
    }
    return new EnvPublicKey(bytes.clone());
  }

  /** Lowercase hex without {@code 0x}, the form the official clients print. */
  public String toHex() {
    return Hex.encode(bytes);
  }

  byte[] bytes() {
    return bytes.clone();
  }

  /**
   * X25519 of {@code scalar} with this key into {@code shared}, without copying the key; false if
   * the result is all zero.
   */
  boolean agree(byte[] scalar, byte[] shared) {
    return X25519.calculateAgreement(scalar, 0, bytes, 0, shared, 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnvPublicKey other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "EnvPublicKey[" + toHex() + "]";
  }
}
