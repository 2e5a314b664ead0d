package cloud.phala.operator.cloud;

import java.util.regex.Pattern;

/**
 * Text written by Phala Cloud or a CVM for people (a boot error), which the operator copies into
 * status conditions and Events: made one line (control, format and line-separator characters, which
 * could forge log lines or hide text, become spaces) and cut to a bounded length, saying so.
 */
final class ServerText {
  static final int MAX_CHARS = 200;
  private static final Pattern UNPRINTABLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]+");

  private ServerText() {}

  static String oneBoundedLine(String text) {
    String line = UNPRINTABLE.matcher(text).replaceAll(" ").strip();
    if (line.length() <= MAX_CHARS) {
      return line;
    }
    int end = Character.isHighSurrogate(line.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
    return line.substring(0, end) + "… (cut: " + line.length() + " characters in all)";
  }
}
