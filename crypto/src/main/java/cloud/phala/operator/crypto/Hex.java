package cloud.phala.operator.crypto;

import java.util.HexFormat;
import java.util.Locale;

/** Strict hex codec. Error messages describe the input's shape, never its content. */
final class Hex {
  private static final HexFormat LOWERCASE = HexFormat.of();

  private Hex() {}

  /**
   * Lowercase, by the JDK's formatter: it hands its Latin-1 bytes to the String without a copy. It
   * measured 2.5 to 3 x the old char[] loop and level with a digit table into {@code new
   * String(bytes, ISO_8859_1)} (SealStagesBenchmark.hex*), so the simpler one stays.
   */
  static String encode(byte[] bytes) {
    return LOWERCASE.formatHex(bytes);
  }

  /** Decodes hex of either case, after removing one optional {@code 0x} or {@code 0X} prefix. */
  static byte[] decodeOptionalPrefix(String what, String text) {
    if (text == null) {
      throw new IllegalArgumentException(what + " is missing");
    }
    String body = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
    return decode(what, body);
  }

  static byte[] decode(String what, String body) {
    if (body.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    if (body.length() % 2 != 0) {
      throw new IllegalArgumentException(
          what + " has an odd number of hex digits (" + body.length() + ")");
    }
    byte[] out = new byte[body.length() / 2];
    for (int i = 0; i < body.length(); i++) {
      int nibble = nibble(body.charAt(i));
      if (nibble < 0) {
        throw new IllegalArgumentException(
            what + " is not hex: the character at offset " + i + " is not 0-9, a-f or A-F");
      }
      out[i / 2] |= (byte) (i % 2 == 0 ? nibble << 4 : nibble);
    }
    return out;
  }

  static byte[] decodeExactLength(String what, String text, int length) {
    byte[] bytes = decodeOptionalPrefix(what, text);
    if (bytes.length != length) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s must be %d bytes (%d hex characters), got %d bytes",
              what,
              length,
              2 * length,
              bytes.length));
    }
    return bytes;
  }

  private static int nibble(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
