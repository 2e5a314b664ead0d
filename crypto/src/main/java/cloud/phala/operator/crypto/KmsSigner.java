package cloud.phala.operator.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Signs app env public keys as a dstack KMS root key does. For the simulator and tests only: a real
 * KMS keeps this key inside its TEE. {@link #toString()} shows the public key only.
 */
public final class KmsSigner {
  private final BigInteger privateKey;
  private final KmsRootKey rootKey;

  private KmsSigner(BigInteger privateKey) {
    if (privateKey.signum() <= 0 || privateKey.compareTo(Secp256k1.DOMAIN.getN()) >= 0) {
      throw new IllegalArgumentException("KMS signing key is out of range for secp256k1");
    }
    this.privateKey = privateKey;
    this.rootKey = KmsRootKey.of(Secp256k1.DOMAIN.getG().multiply(privateKey).normalize());
  }

  public static KmsSigner generate(SecureRandom random) {
    BigInteger n = Secp256k1.DOMAIN.getN();
    BigInteger d;
    do {
      d = new BigInteger(n.bitLength(), random);
    } while (d.signum() == 0 || d.compareTo(n) >= 0);
    return new KmsSigner(d);
  }

  public static KmsSigner fromHex(String privateKeyHex) {
    return new KmsSigner(
        new BigInteger(1, Hex.decodeExactLength("KMS signing key", privateKeyHex, 32)));
  }

  public KmsRootKey rootKey() {
    return rootKey;
  }

  /** Lowercase hex of {@code r || s || recid}, recid 0 or 1. */
  public String signLegacy(AppId appId, EnvPublicKey key) {
    return Hex.encode(Secp256k1.signRecoverable(privateKey, KmsMessage.legacyDigest(appId, key)));
  }

  public String signTimestamped(AppId appId, EnvPublicKey key, long timestampSeconds) {
    return Hex.encode(
        Secp256k1.signRecoverable(
            privateKey, KmsMessage.timestampedDigest(appId, timestampSeconds, key)));
  }

  @Override
  public String toString() {
    return "KmsSigner[" + rootKey.toHex() + "]";
  }
}
