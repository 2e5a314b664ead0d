package cloud.phala.operator.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The messages the dstack KMS signs over an app's env public key (dstack kms/src/crypto.rs). */
final class KmsMessage {
  private static final byte[] PREFIX =
      "dstack-env-encrypt-pubkey:".getBytes(StandardCharsets.US_ASCII);

  private KmsMessage() {}

  /** {@code keccak256("dstack-env-encrypt-pubkey" || ":" || app_id || pubkey)}. */
  static byte[] legacyDigest(AppId appId, EnvPublicKey key) {
    return Secp256k1.keccak256(
        ByteBuffer.allocate(PREFIX.length + AppId.LENGTH + EnvPublicKey.LENGTH)
            .put(PREFIX)
            .put(appId.bytes())
            .put(key.bytes())
            .array());
  }

  /** {@code keccak256("dstack-env-encrypt-pubkey" || ":" || app_id || u64_be(ts) || pubkey)}. */
  static byte[] timestampedDigest(AppId appId, long timestampSeconds, EnvPublicKey key) {
    return Secp256k1.keccak256(
        ByteBuffer.allocate(PREFIX.length + AppId.LENGTH + Long.BYTES + EnvPublicKey.LENGTH)
            .put(PREFIX)
            .put(appId.bytes())
            .putLong(timestampSeconds)
            .put(key.bytes())
            .array());
  }
}
