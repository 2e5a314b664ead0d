package cloud.phala.operator.crypto;

/**
 * {@link JsJson#quote} straight to UTF-8 bytes: the same output as quoting into a String and
 * encoding it, without the intermediate String. Used where the bytes go into a buffer whose exact
 * size is known first ({@link #quotedLength}), such as the sealed blob.
 */
final class JsJsonUtf8 {
  private static final byte[] HEX = {
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'
  };

  /** Per ASCII char: 1 when written as itself, else its escape ({@code 0} = {@code \}u00XX). */
  private static final byte[] ASCII_ESCAPE = new byte[128];

  static {
    for (int c = 0x20; c < 0x80; c++) {
      ASCII_ESCAPE[c] = 1;
    }
    ASCII_ESCAPE['"'] = '"';
    ASCII_ESCAPE['\\'] = '\\';
    ASCII_ESCAPE['\b'] = 'b';
    ASCII_ESCAPE['\f'] = 'f';
    ASCII_ESCAPE['\n'] = 'n';
    ASCII_ESCAPE['\r'] = 'r';
    ASCII_ESCAPE['\t'] = 't';
  }

  private JsJsonUtf8() {}

  /** Bytes {@link #writeQuoted} writes for {@code s}, quotes included. */
  static int quotedLength(String s) {
    int length = s.length();
    int bytes = 2 + length;
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        byte escape = ASCII_ESCAPE[c];
        bytes += escape == 1 ? 0 : escape == 0 ? 5 : 1;
      } else if (c < 0x800) {
        bytes += 1;
      } else if (!Character.isSurrogate(c)) {
        bytes += 2;
      } else if (isPairStart(s, i)) {
        bytes += 2;
        i++;
      } else {
        bytes += 5;
      }
    }
    return bytes;
  }

  /**
   * Writes {@code s} quoted at {@code pos}; returns the position after it. A string of plain ASCII
   * (its quoted length is its length + 2) is copied in one go.
   */
  static int writeQuoted(String s, int quotedLength, byte[] out, int pos) {
    out[pos++] = '"';
    if (quotedLength == s.length() + 2) {
      copyAscii(s, out, pos);
      pos += s.length();
    } else {
      pos = writeEscaped(s, out, pos);
    }
    out[pos++] = '"';
    return pos;
  }

  /** Each char is below 0x80 here, so its low 8 bits are its UTF-8 byte. */
  @SuppressWarnings("deprecation")
  private static void copyAscii(String s, byte[] out, int pos) {
    s.getBytes(0, s.length(), out, pos);
  }

  private static int writeEscaped(String s, byte[] out, int pos) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        pos = writeAscii(c, out, pos);
      } else if (c < 0x800) {
        out[pos++] = (byte) (0xc0 | c >> 6);
        out[pos++] = (byte) (0x80 | c & 0x3f);
      } else if (!Character.isSurrogate(c)) {
        pos = writeThreeBytes(c, out, pos);
      } else if (isPairStart(s, i)) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out[pos++] = (byte) (0xf0 | cp >> 18);
        out[pos++] = (byte) (0x80 | cp >> 12 & 0x3f);
        out[pos++] = (byte) (0x80 | cp >> 6 & 0x3f);
        out[pos++] = (byte) (0x80 | cp & 0x3f);
      } else {
        pos = writeUnicodeEscape(c, out, pos);
      }
    }
    return pos;
  }

  private static int writeAscii(char c, byte[] out, int pos) {
    byte escape = ASCII_ESCAPE[c];
    if (escape == 1) {
      out[pos++] = (byte) c;
    } else if (escape == 0) {
      pos = writeUnicodeEscape(c, out, pos);
    } else {
      out[pos++] = '\\';
      out[pos++] = escape;
    }
    return pos;
  }

  private static int writeThreeBytes(char c, byte[] out, int pos) {
    out[pos++] = (byte) (0xe0 | c >> 12);
    out[pos++] = (byte) (0x80 | c >> 6 & 0x3f);
    out[pos++] = (byte) (0x80 | c & 0x3f);
    return pos;
  }

  /** Lowercase, as JSON.stringify writes control characters and lone surrogates. */
  private static int writeUnicodeEscape(char c, byte[] out, int pos) {
    out[pos++] = '\\';
    out[pos++] = 'u';
    out[pos++] = HEX[c >> 12];
    out[pos++] = HEX[c >> 8 & 0xf];
    out[pos++] = HEX[c >> 4 & 0xf];
    out[pos++] = HEX[c & 0xf];
    return pos;
  }

  /** A high surrogate followed by a low one; a low surrogate here is always unpaired. */
  private static boolean isPairStart(String s, int i) {
    return Character.isHighSurrogate(s.charAt(i))
        && i + 1 < s.length()
        && Character.isLowSurrogate(s.charAt(i + 1));
  }
}
