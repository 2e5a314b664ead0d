package cloud.phala.operator.kubectl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line after {@code kubectl phala}: kubectl passes it verbatim, global flags included,
 * so the plugin reads {@code -n/--namespace}, {@code --context} and {@code --kubeconfig} itself.
 * Flags may come anywhere, as {@code --flag value} or {@code --flag=value}.
 */
record Args(List<String> words, Map<String, String> flags) {
  private static final Set<String> VALUED =
      Set.of("namespace", "context", "kubeconfig", "timeout", "to-revision", "revision");
  private static final Set<String> BOOLEAN = Set.of("help");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|h|m|s)");

  static Args parse(String... argv) {
    List<String> words = new ArrayList<>();
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < argv.length; i++) {
      String arg = argv[i];
      if (!arg.startsWith("-") || arg.equals("-")) {
        words.add(arg);
        continue;
      }
      String name;
      String value = null;
      if (arg.startsWith("--")) {
        name = arg.substring(2);
      } else if (arg.startsWith("-n")) {
        name = "namespace";
        value = arg.length() > 2 ? arg.substring(arg.charAt(2) == '=' ? 3 : 2) : null;
      } else if (arg.equals("-h")) {
        name = "help";
      } else {
        throw new UserError("unknown shorthand flag: '" + arg.substring(1) + "' in " + arg);
      }
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (BOOLEAN.contains(name)) {
        flags.put(name, value == null ? "true" : value);
      } else if (VALUED.contains(name)) {
        if (value == null) {
          if (i + 1 >= argv.length) {
            throw new UserError("flag needs an argument: --" + name);
          }
          value = argv[++i];
        }
        flags.put(name, value);
      } else {
        throw new UserError("unknown flag: --" + name);
      }
    }
    return new Args(List.copyOf(words), Map.copyOf(flags));
  }

  String flag(String name) {
    return flags.get(name);
  }

  boolean help() {
    return "true".equals(flags.get("help"));
  }

  /** An integer flag, or null when absent. */
  Integer intFlag(String name) {
    String value = flags.get(name);
    if (value == null) {
      return null;
    }
    try {
      return Integer.valueOf(value);
    } catch (NumberFormatException e) {
      throw new UserError("invalid argument \"" + value + "\" for --" + name + ": not a number");
    }
  }

  /** {@code --timeout} as kubectl reads it (5m, 90s, 1h30m; 0 waits forever); null when absent. */
  Duration timeout() {
    String value = flags.get("timeout");
    if (value == null || value.equals("0")) {
      return null;
    }
    Matcher part = DURATION.matcher(value);
    Duration total = Duration.ZERO;
    int end = 0;
    while (part.find() && part.start() == end) {
      long n = Long.parseLong(part.group(1));
      total =
          switch (part.group(2)) {
            case "h" -> total.plusHours(n);
            case "m" -> total.plusMinutes(n);
            case "s" -> total.plusSeconds(n);
            default -> total.plusMillis(n);
          };
      end = part.end();
    }
    if (end == 0 || end != value.length()) {
      throw new UserError(
          "invalid argument \"" + value + "\" for --timeout: a duration such as 5m, 90s or 1h30m");
    }
    return total.isZero() ? null : total;
  }

  /** Checks that only {@code allowed} command flags (besides the global ones) were given. */
  void allowOnly(String command, String... allowed) {
    Set<String> ok = Set.of(allowed);
    for (String name : flags.keySet()) {
      if (!Set.of("namespace", "context", "kubeconfig", "help").contains(name)
          && !ok.contains(name)) {
        throw new UserError("unknown flag: --" + name + " for " + command);
      }
    }
  }
}
