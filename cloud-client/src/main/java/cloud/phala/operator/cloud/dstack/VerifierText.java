package cloud.phala.operator.cloud.dstack;

import java.util.regex.Pattern;

/**
 * A verifier's {@code reason}, made safe to copy into status and Events: one line (control and
 * format characters become spaces), hex runs of 32 digits or more (a quote, a digest, an event
 * payload a verifier may echo in an error) replaced by {@code <hex>}, cut to a bounded length.
 */
final class VerifierText {
  static final int MAX_CHARS = 200;
  private static final Pattern UNPRINTABLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]+");
  private static final Pattern LONG_HEX = Pattern.compile("(0x)?[0-9a-fA-F]{32,}");

  private VerifierText() {}

  static String oneBoundedLine(String text) {
    String clipped = text.length() > 64 * MAX_CHARS ? text.substring(0, 64 * MAX_CHARS) : text;
    String line = UNPRINTABLE.matcher(clipped).replaceAll(" ");
    line = LONG_HEX.matcher(line).replaceAll("<hex>").strip();
    if (line.length() <= MAX_CHARS) {
      return line;
    }
    int end = Character.isHighSurrogate(line.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
    return line.substring(0, end) + "… (cut)";
  }
}
