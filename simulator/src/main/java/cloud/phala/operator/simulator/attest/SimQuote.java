package cloud.phala.operator.simulator.attest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;

/**
 * A quote laid out as a TDX quote v4 (48-byte header, 584-byte TD report body, 4-byte signature
 * length, signature data) whose signature data is the test root's ECDSA signature over header and
 * body followed by the root's public point. The header's QE vendor id reads "SIM-TEST-ROOT".
 */
final class SimQuote {
  static final int SIGNED = 48 + 584;
  private static final int MRTD = 48 + 136;
  private static final int RTMR0 = 48 + 328;
  private static final int REPORT_DATA = 48 + 520;

  private SimQuote() {}

  static byte[] build(byte[] mrtd, byte[][] rtmrs, byte[] reportData, TestRoot root) {
    ByteBuffer signed = ByteBuffer.allocate(SIGNED).order(ByteOrder.LITTLE_ENDIAN);
    signed.putShort(0, (short) 4).putShort(2, (short) 2).putInt(4, 0x81);
    signed.put(12, "SIM-TEST-ROOT".getBytes(StandardCharsets.US_ASCII));
    signed.put(MRTD, mrtd);
    for (int i = 0; i < 4; i++) {
      signed.put(RTMR0 + 48 * i, rtmrs[i]);
    }
    signed.put(REPORT_DATA, reportData);
    byte[] body = signed.array();
    byte[] signature = root.sign(body);
    byte[] point = point((ECPublicKey) root.publicKey());
    return ByteBuffer.allocate(SIGNED + 4 + signature.length + point.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put(body)
        .putInt(signature.length + point.length)
        .put(signature)
        .put(point)
        .array();
  }

  /** Flips a bit in the signature, so the quote no longer verifies. */
  static byte[] damaged(byte[] quote) {
    byte[] copy = Arrays.copyOf(quote, quote.length);
    copy[SIGNED + 4] ^= 0x01;
    return copy;
  }

  private static byte[] point(ECPublicKey key) {
    byte[] out = new byte[64];
    copy32(key.getW().getAffineX().toByteArray(), out, 0);
    copy32(key.getW().getAffineY().toByteArray(), out, 32);
    return out;
  }

  private static void copy32(byte[] unsigned, byte[] out, int offset) {
    int length = Math.min(unsigned.length, 32);
    System.arraycopy(unsigned, unsigned.length - length, out, offset + 32 - length, length);
  }
}
