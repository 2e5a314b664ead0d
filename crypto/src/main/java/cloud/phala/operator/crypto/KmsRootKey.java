package cloud.phala.operator.crypto;

import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The KMS root signing key (secp256k1), the trust anchor for app env public keys. Phala Cloud
 * publishes it as {@code k256_pubkey}: compressed SEC1, 66 hex characters, optional {@code 0x}. The
 * 130-character uncompressed form is accepted too and normalised.
 */
public final class KmsRootKey {
  private final byte[] compressed;

  private KmsRootKey(byte[] compressed) {
    this.compressed = compressed;
  }

  public static KmsRootKey fromHex(String hex) {
    byte[] encoded = Hex.decodeOptionalPrefix("KMS root key", hex);
    if (encoded.length != Secp256k1.COMPRESSED_LENGTH && encoded.length != 65) {
      throw new IllegalArgumentException(
          "KMS root key must be a 33-byte compressed or 65-byte uncompressed secp256k1 key, got "
              + encoded.length
              + " bytes");
    }
    try {
      return of(Secp256k1.CURVE.getCurve().decodePoint(encoded));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("KMS root key is not a point on secp256k1");
    }
  }

  static KmsRootKey of(ECPoint point) {
    return new KmsRootKey(point.getEncoded(true));
  }

  /** Compressed form, lowercase hex without {@code 0x}. */
  public String toHex() {
    return Hex.encode(compressed);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KmsRootKey other && Arrays.equals(compressed, other.compressed);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(compressed);
  }

  @Override
  public String toString() {
    return "KmsRootKey[" + toHex() + "]";
  }
}
