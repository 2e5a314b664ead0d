package cloud.phala.operator.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Strict hex codec. Error messages describe the input's shape, never its content. */
final class Hex {
  /** The two lowercase digits of every byte value: entries 2b and 2b + 1 are those of b. */
  private static final byte[] DIGIT_PAIRS = new byte[512];

  static {
    byte[] digits = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    for (int b = 0; b < 256; b++) {
      DIGIT_PAIRS[2 * b] = digits[b >> 4];
      DIGIT_PAIRS[2 * b + 1] = digits[b & 0xf];
    }
  }

  private Hex() {}

  /** Lowercase. Latin-1 bytes make a compact String without a second encoding pass. */
  static String encode(byte[] bytes) {
    byte[] out = new byte[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      int pair = 2 * (bytes[i] & 0xff);
      out[2 * i] = DIGIT_PAIRS[pair];
      out[2 * i + 1] = DIGIT_PAIRS[pair + 1];
    }
    return new String(out, StandardCharsets.ISO_8859_1);
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
