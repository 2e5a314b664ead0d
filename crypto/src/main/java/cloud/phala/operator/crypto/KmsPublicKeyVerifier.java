package cloud.phala.operator.crypto;

import static cloud.phala.operator.crypto.KmsSignatureException.Reason.FROM_THE_FUTURE;
import static cloud.phala.operator.crypto.KmsSignatureException.Reason.MALFORMED;
import static cloud.phala.operator.crypto.KmsSignatureException.Reason.SIGNER_MISMATCH;
import static cloud.phala.operator.crypto.KmsSignatureException.Reason.TOO_OLD;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Checks that an app's env public key was signed by the trusted KMS root key, and only then hands
 * out the key: there is no way to get an {@link EnvPublicKey} from a signature that failed.
 *
 * <p>Signatures are {@code r || s || v} (65 bytes) with {@code v} in 0..3, or 27/28 as Ethereum
 * tooling writes it. Timestamped (v1) signatures must be at most {@code maxAge} old and at most
 * {@code maxFutureSkew} ahead of this clock (defaults 300 s and 60 s, as the dstack SDK).
 */
public final class KmsPublicKeyVerifier {
  public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(300);
  public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofSeconds(60);
  private static final int SIGNATURE_LENGTH = 65;

  private final KmsRootKey trustedRoot;
  private final Clock clock;
  private final Duration maxAge;
  private final Duration maxFutureSkew;

  public KmsPublicKeyVerifier(
      KmsRootKey trustedRoot, Clock clock, Duration maxAge, Duration maxFutureSkew) {
    this.trustedRoot = Objects.requireNonNull(trustedRoot, "trusted KMS root key");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    this.maxFutureSkew = Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
  }

  public KmsPublicKeyVerifier(KmsRootKey trustedRoot) {
    this(trustedRoot, Clock.systemUTC(), DEFAULT_MAX_AGE, DEFAULT_MAX_FUTURE_SKEW);
  }

  /** The legacy signature over {@code app_id || pubkey}, the one the official CLI checks. */
  public EnvPublicKey verifyLegacy(AppId appId, String publicKeyHex, String signatureHex) {
    EnvPublicKey key = parseKey(publicKeyHex);
    checkSigner(KmsMessage.legacyDigest(appId, key), signatureHex);
    return key;
  }

  /** The v1 signature over {@code app_id || timestamp || pubkey}, with the freshness window. */
  public EnvPublicKey verifyTimestamped(
      AppId appId, String publicKeyHex, long timestampSeconds, String signatureHex) {
    EnvPublicKey key = parseKey(publicKeyHex);
    checkSigner(KmsMessage.timestampedDigest(appId, timestampSeconds, key), signatureHex);
    long now = clock.instant().getEpochSecond();
    if (now - timestampSeconds > maxAge.toSeconds()) {
      throw new KmsSignatureException(
          TOO_OLD,
          "KMS signature is "
              + (now - timestampSeconds)
              + " s old, older than the allowed "
              + maxAge.toSeconds()
              + " s");
    }
    if (timestampSeconds - now > maxFutureSkew.toSeconds()) {
      throw new KmsSignatureException(
          FROM_THE_FUTURE,
          "KMS signature is dated "
              + (timestampSeconds - now)
              + " s in the future, more than the allowed "
              + maxFutureSkew.toSeconds()
              + " s");
    }
    return key;
  }

  private static EnvPublicKey parseKey(String publicKeyHex) {
    try {
      return EnvPublicKey.fromHex(publicKeyHex);
    } catch (IllegalArgumentException e) {
      throw new KmsSignatureException(MALFORMED, e.getMessage());
    }
  }

  private void checkSigner(byte[] digest, String signatureHex) {
    byte[] signature;
    try {
      signature = Hex.decodeExactLength("KMS signature", signatureHex, SIGNATURE_LENGTH);
    } catch (IllegalArgumentException e) {
      throw new KmsSignatureException(MALFORMED, e.getMessage());
    }
    int v = signature[64] & 0xff;
    if (v > 3 && v != 27 && v != 28) {
      throw new KmsSignatureException(
          MALFORMED, "KMS signature recovery id must be 0-3 or 27/28, got " + v);
    }
    int recoveryId = v >= 27 ? v - 27 : v;
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    KmsRootKey signer =
        Secp256k1.recover(digest, r, s, recoveryId)
            .map(KmsRootKey::of)
            .orElseThrow(
                () -> new KmsSignatureException(MALFORMED, "KMS signature recovers no key"));
    if (!signer.equals(trustedRoot)) {
      throw new KmsSignatureException(
          SIGNER_MISMATCH,
          "env public key was signed by "
              + signer.toHex()
              + ", not by the trusted KMS root key "
              + trustedRoot.toHex());
    }
  }
}
