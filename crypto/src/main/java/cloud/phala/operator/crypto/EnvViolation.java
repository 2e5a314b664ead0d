package cloud.phala.operator.crypto;

import java.util.Optional;

/**
 * One broken rule in an env set. It names the key (or none, for rules on the whole set) and
 * describes the problem by sizes and counts, never by the value.
 */
public record EnvViolation(Optional<String> key, Rule rule, String detail) {

  /** The guest's rules, in the order it checks them. */
  public enum Rule {
    TOO_MANY_VARS,
    KEY_TOO_LONG,
    VALUE_TOO_LONG,
    KEY_INVALID,
    VALUE_NOT_UNICODE,
    SET_TOO_LARGE
  }

  static EnvViolation ofKey(String key, Rule rule, String detail) {
    return new EnvViolation(Optional.of(key), rule, detail);
  }

  static EnvViolation ofSet(Rule rule, String detail) {
    return new EnvViolation(Optional.empty(), rule, detail);
  }

  @Override
  public String toString() {
    return key.map(k -> displayKey(k) + ": ").orElse("") + detail;
  }

  /**
   * Key names are not secret, but they come from users: non-printable characters are escaped so a
   * name cannot forge log lines, and an absurdly long one is cut.
   */
  static String displayKey(String key) {
    int max = 64;
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(key.length(), max); i++) {
      char c = key.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    if (key.length() > max) {
      out.append("…(").append(key.length()).append(" chars)");
    }
    return out.toString();
  }
}
