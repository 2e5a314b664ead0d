package cloud.phala.operator.simulator.attest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** dstack's runtime-event digest and RTMR extend, written here independently of any verifier. */
final class Measurements {
  static final long RUNTIME_EVENT = 0x08000001L;

  private Measurements() {}

  static byte[] eventDigest(String name, byte[] payload) {
    MessageDigest sha384 = digest("SHA-384");
    sha384.update(
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) RUNTIME_EVENT).array());
    sha384.update((":" + name + ":").getBytes(StandardCharsets.UTF_8));
    sha384.update(payload);
    return sha384.digest();
  }

  static byte[] replay(List<byte[]> digests) {
    byte[] register = new byte[48];
    for (byte[] d : digests) {
      MessageDigest sha384 = digest("SHA-384");
      sha384.update(register);
      sha384.update(d);
      register = sha384.digest();
    }
    return register;
  }

  /** A stand-in measurement of the OS image, stable per image: the simulator boots no firmware. */
  static byte[] osMeasurement(String register, String osImageHash) {
    return digest("SHA-384")
        .digest((register + ":" + osImageHash).getBytes(StandardCharsets.UTF_8));
  }

  static byte[] sha256(String text) {
    return digest("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required by every Java platform", e);
    }
  }
}
