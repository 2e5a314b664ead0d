package cloud.phala.operator.crypto;

/**
 * JSON string quoting exactly as ECMAScript's {@code JSON.stringify} does it (QuoteJSONString):
 * short escapes for {@code " \ \b \f \n \r \t}, lowercase hex escapes for the other control
 * characters, everything else literal. The official clients are JavaScript, so bytes that must
 * match theirs (sealed env plaintext, compose hashes) are written with this.
 */
public final class JsJson {
  private JsJson() {}

  public static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || (Character.isSurrogate(c) && !isPaired(s, i))) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** ES2019 well-formed stringify escapes only unpaired surrogates. */
  private static boolean isPaired(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
