package cloud.phala.operator.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Condition types and reasons and Event reasons, as the operator's main source writes them: the
 * CamelCase string literals passed to {@code ConditionSet.set}, {@code events.normal/warning} and
 * {@code warnOnChange}, assigned to a {@code reason}, or given to a compose-lint {@code Warning} or
 * a key-trust {@code Outcome}.
 */
final class OperatorReasons {
  static final Path SOURCE = Path.of("..", "operator", "src", "main", "java");
  private static final Pattern LITERAL = Pattern.compile("\"([A-Z][A-Za-z]+)\"");
  private static final List<Pattern> CALLS =
      List.of(
          Pattern.compile("(?s)\\.set\\(\\s*ConditionSet\\.\\w+,(.*?)\\);"),
          Pattern.compile("(?s)events\\.(?:normal|warning)\\((.*?)\\);"),
          Pattern.compile("(?s)(?<!void )warnOnChange\\((.*?)\\);"),
          Pattern.compile("(?s)new Outcome\\((.*?)\\);"),
          Pattern.compile("(?s)refused\\((\\s*\"\\w+\")"),
          Pattern.compile("(?s)new Warning\\((\\s*\"\\w+\")"),
          Pattern.compile("\\breason = (\"\\w+\");"));
  private static final Pattern CONDITION_TYPE =
      Pattern.compile("public static final String [A-Z_]+ = (\"\\w+\");");

  private OperatorReasons() {}

  /** Every reason literal found, e.g. {@code AllReplicasReady}, {@code BootFailed}. */
  static Set<String> reasons() {
    return literals(CALLS);
  }

  /** The condition types ConditionSet declares. */
  static Set<String> conditionTypes() {
    return literals(List.of(CONDITION_TYPE));
  }

  private static Set<String> literals(List<Pattern> patterns) {
    Set<String> found = new TreeSet<>();
    for (String source : sources()) {
      for (Pattern pattern : patterns) {
        Matcher call = pattern.matcher(source);
        while (call.find()) {
          Matcher literal = LITERAL.matcher(call.group(1));
          while (literal.find()) {
            found.add(literal.group(1));
          }
        }
      }
    }
    return found;
  }

  private static List<String> sources() {
    try (Stream<Path> files = Files.walk(SOURCE)) {
      return files
          .filter(f -> f.toString().endsWith(".java"))
          .map(
              f -> {
                try {
                  return Files.readString(f);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
