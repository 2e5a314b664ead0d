package cloud.phala.operator.simulator.cloud;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Identifiers, derived from the seed so that a simulator started with the same seed hands out the
 * same ids in the same order.
 */
final class Ids {
  private final long seed;

  Ids(long seed) {
    this.seed = seed;
  }

  /** {@code cvm_} + a hash of the numeric id: the opaque id of API 2026-05-22. */
  String hashedCvmId(int numericId) {
    return "cvm_" + digest("cvm", numericId).substring(0, 24);
  }

  UUID vmUuid(int numericId) {
    byte[] bytes = HexFormat.of().parseHex(digest("uuid", numericId).substring(0, 32));
    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new UUID(buffer.getLong(), buffer.getLong());
  }

  String instanceId(int numericId) {
    return digest("instance", numericId).substring(0, 40);
  }

  String correlationId(long counter) {
    UUID uuid = UUID.nameUUIDFromBytes((seed + ":op:" + counter).getBytes(StandardCharsets.UTF_8));
    return uuid.toString();
  }

  /**
   * A revision id: Phala Cloud's are a hashid of a snowflake id, so an opaque short alphanumeric
   * string; this one is 16 characters of {@code [0-9A-Za-z]} from the seed and the counter.
   */
  String revisionId(long counter) {
    String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    byte[] bytes = HexFormat.of().parseHex(digest("revision", counter));
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      out.append(alphabet.charAt((bytes[i] & 0xff) % alphabet.length()));
    }
    return out.toString();
  }

  String deviceId() {
    return deviceId(1);
  }

  /** The TDX device id of node {@code nodeId}; node 1 keeps the id every node had before. */
  String deviceId(int nodeId) {
    return digest("device", nodeId - 1L).substring(0, 64);
  }

  /** A simulated transaction hash, 0x and 32 bytes of hex. */
  String transactionHash(long counter) {
    return "0x" + digest("tx", counter);
  }

  /** A commit token of the two-phase on-chain update flow. */
  String commitToken(long counter) {
    return digest("commit-token", counter).substring(0, 32);
  }

  /** The team wallet that "deploys" app ids (Ethereum CREATE addresses), 20 bytes of hex. */
  String teamWallet() {
    return digest("wallet", 0).substring(0, 40);
  }

  byte[] seedBytes(String purpose) {
    return HexFormat.of().parseHex(digest(purpose, 0));
  }

  private String digest(String purpose, long value) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((seed + ":" + purpose + ":" + value).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
