package cloud.phala.operator.crypto;

import java.math.BigInteger;
import java.util.Optional;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/** secp256k1 recoverable ECDSA over Keccak-256 digests, as Ethereum and the dstack KMS use it. */
final class Secp256k1 {
  static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
  static final int COMPRESSED_LENGTH = 33;
  private static final BigInteger HALF_N = CURVE.getN().shiftRight(1);

  private Secp256k1() {}

  /** The original Keccak-256 (not SHA3-256). */
  static byte[] keccak256(byte[] message) {
    KeccakDigest digest = new KeccakDigest(256);
    digest.update(message, 0, message.length);
    byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }

  /**
   * Recovers the signer's public key (SEC1 4.1.6) from a 32-byte digest, or empty when the
   * signature is not valid for any key.
   */
  static Optional<ECPoint> recover(byte[] digest, BigInteger r, BigInteger s, int recoveryId) {
    BigInteger n = DOMAIN.getN();
    if (r.signum() <= 0 || r.compareTo(n) >= 0 || s.signum() <= 0 || s.compareTo(n) >= 0) {
      return Optional.empty();
    }
    BigInteger x = r.add(n.multiply(BigInteger.valueOf(recoveryId / 2)));
    if (x.compareTo(CURVE.getCurve().getField().getCharacteristic()) >= 0) {
      return Optional.empty();
    }
    ECPoint bigR;
    try {
      byte[] encoded = new byte[COMPRESSED_LENGTH];
      encoded[0] = (byte) ((recoveryId & 1) == 0 ? 0x02 : 0x03);
      byte[] xBytes = BigIntegers.asUnsignedByteArray(32, x);
      System.arraycopy(xBytes, 0, encoded, 1, 32);
      bigR = CURVE.getCurve().decodePoint(encoded);
    } catch (IllegalArgumentException notOnCurve) {
      return Optional.empty();
    }
    BigInteger e = new BigInteger(1, digest);
    BigInteger rInverse = r.modInverse(n);
    BigInteger u1 = n.subtract(e).multiply(rInverse).mod(n);
    BigInteger u2 = s.multiply(rInverse).mod(n);
    ECPoint q = ECAlgorithms.sumOfTwoMultiplies(DOMAIN.getG(), u1, bigR, u2).normalize();
    return q.isInfinity() ? Optional.empty() : Optional.of(q);
  }

  /** Deterministic (RFC 6979, HMAC-SHA256) low-s signature as {@code r || s || recid}. */
  static byte[] signRecoverable(BigInteger privateKey, byte[] digest) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(privateKey, DOMAIN));
    BigInteger[] rs = signer.generateSignature(digest);
    BigInteger r = rs[0];
    BigInteger s = rs[1].compareTo(HALF_N) > 0 ? DOMAIN.getN().subtract(rs[1]) : rs[1];
    ECPoint expected = DOMAIN.getG().multiply(privateKey).normalize();
    for (int recoveryId = 0; recoveryId < 4; recoveryId++) {
      Optional<ECPoint> candidate = recover(digest, r, s, recoveryId);
      if (candidate.isPresent() && candidate.get().equals(expected)) {
        byte[] out = new byte[65];
        System.arraycopy(BigIntegers.asUnsignedByteArray(32, r), 0, out, 0, 32);
        System.arraycopy(BigIntegers.asUnsignedByteArray(32, s), 0, out, 32, 32);
        out[64] = (byte) recoveryId;
        return out;
      }
    }
    throw new IllegalStateException("no recovery id reproduces the signing key");
  }
}
