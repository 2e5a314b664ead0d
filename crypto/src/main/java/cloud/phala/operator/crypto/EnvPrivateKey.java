package cloud.phala.operator.crypto;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * An app's X25519 env decryption key. Only the simulated guest and tests hold one; the operator
 * never does. It cannot be printed or exported: {@link #toString()} shows no bytes.
 */
public final class EnvPrivateKey {
  private final byte[] scalar;
  private final EnvPublicKey publicKey;

  private EnvPrivateKey(byte[] scalar) {
    this.scalar = scalar;
    byte[] pub = new byte[X25519.POINT_SIZE];
    X25519.scalarMultBase(scalar, 0, pub, 0);
    this.publicKey = EnvPublicKey.fromBytes(pub);
  }

  public static EnvPrivateKey generate(SecureRandom random) {
    byte[] scalar = new byte[X25519.SCALAR_SIZE];
    X25519.generatePrivateKey(random, scalar);
    return new EnvPrivateKey(scalar);
  }

  public static EnvPrivateKey fromHex(String hex) {
    return new EnvPrivateKey(Hex.decodeExactLength("env private key", hex, X25519.SCALAR_SIZE));
  }

  public EnvPublicKey publicKey() {
    return publicKey;
  }

  /** Raw X25519 shared secret with a peer key; all-zero results are refused. */
  byte[] agree(byte[] peerPublic) {
    byte[] shared = new byte[X25519.POINT_SIZE];
    if (!X25519.calculateAgreement(scalar, 0, peerPublic, 0, shared, 0)) {
      throw new SealedEnvException();
    }
    return shared;
  }

  @Override
  public String toString() {
    return "EnvPrivateKey[public=" + publicKey.toHex() + "]";
  }
}
