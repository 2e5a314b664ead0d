package cloud.phala.operator.app;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One test class's source, read as google-java-format lays it out: finds a method with the
 * annotations just above it, and says whether it is a test JUnit runs and what text it uses.
 */
final class TestSource {
  private static final Pattern RUNNER_SUFFIX = Pattern.compile("(Test|IT|E2E)$");
  private static final Pattern TEST_ANNOTATION =
      Pattern.compile("@(Test|ParameterizedTest|RepeatedTest|TestFactory)\\b");
  private static final Pattern METHOD_SOURCE = Pattern.compile("@MethodSource\\(\"([^\"]+)\"\\)");

  private final String className;
  private final String source;

  TestSource(String className, String source) {
    this.className = className;
    this.source = source;
  }

  /** A member: the annotations and comments just above it, and its body. */
  record Member(String annotations, String body) {}

  /** Surefire runs {@code *Test}, failsafe {@code *IT} and {@code *E2E}; nothing else is run. */
  boolean isRunByABuild() {
    return RUNNER_SUFFIX.matcher(className).find() && !classAnnotations().contains("@Disabled");
  }

  /** Why {@code method} is not a test the build runs, or empty when it is. */
  Optional<String> whyNotARunTest(String method) {
    if (!isRunByABuild()) {
      return Optional.of(className + " is not a class the build runs as tests");
    }
    Optional<Member> member = member(method);
    if (member.isEmpty()) {
      return Optional.of(className + " declares no method " + method);
    }
    if (!TEST_ANNOTATION.matcher(member.get().annotations()).find()) {
      return Optional.of(className + "#" + method + " is not a @Test");
    }
    if (member.get().annotations().contains("@Disabled")) {
      return Optional.of(className + "#" + method + " is @Disabled");
    }
    return Optional.empty();
  }

  /**
   * What the test method itself uses: its annotations (a {@code @CsvSource} holds cases), its body
   * and the body of its {@code @MethodSource}, with Java string escapes and concatenations undone.
   */
  String textOf(String method) {
    Member member = member(method).orElseThrow();
    StringBuilder text = new StringBuilder(member.annotations()).append(member.body());
    Matcher provider = METHOD_SOURCE.matcher(member.annotations());
    if (provider.find()) {
      member(provider.group(1)).ifPresent(p -> text.append(p.body()));
    }
    return text.toString()
        .replaceAll("\"\\s*\\+\\s*\"", "")
        .replace("\\\"", "\"")
        .replace("\\\\", "\\");
  }

  /** A method declared at class level (two spaces in), with the annotations above it. */
  Optional<Member> member(String name) {
    Matcher declaration =
        Pattern.compile("(?m)^  [\\w<>\\[\\], ?]*?\\b" + Pattern.quote(name) + "\\s*\\(")
            .matcher(source);
    while (declaration.find()) {
      String line =
          source.substring(declaration.start(), source.indexOf('\n', declaration.start()));
      if (line.trim().startsWith("@") || line.trim().startsWith("return")) {
        continue;
      }
      int open = source.indexOf('{', declaration.end());
      int close = matching(open);
      String before = source.substring(0, declaration.start());
      String annotations = before.substring(Math.max(0, before.lastIndexOf("\n\n")));
      return Optional.of(new Member(annotations, source.substring(open, close + 1)));
    }
    return Optional.empty();
  }

  private String classAnnotations() {
    int declaration = source.indexOf("class " + className);
    String before = source.substring(0, Math.max(0, declaration));
    return before.substring(Math.max(0, before.lastIndexOf(";")));
  }

  /** The brace closing the one at {@code open}, skipping comments and literals. */
  private int matching(int open) {
    int depth = 0;
    for (int i = open; i < source.length(); i++) {
      char c = source.charAt(i);
      if (source.startsWith("//", i)) {
        i = source.indexOf('\n', i);
      } else if (source.startsWith("/*", i)) {
        i = source.indexOf("*/", i) + 1;
      } else if (c == '"' || c == '\'') {
        i = endOfLiteral(i, c);
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalStateException("unbalanced braces in " + className);
  }

  private int endOfLiteral(int start, char quote) {
    String delimiter = source.startsWith("\"\"\"", start) ? "\"\"\"" : String.valueOf(quote);
    for (int i = start + delimiter.length(); i < source.length(); i++) {
      if (source.charAt(i) == '\\') {
        i++;
      } else if (source.startsWith(delimiter, i)) {
        return i + delimiter.length() - 1;
      }
    }
    throw new IllegalStateException("unterminated literal in " + className);
  }
}
