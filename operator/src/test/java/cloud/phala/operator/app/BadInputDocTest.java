package cloud.phala.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/bad-input.md lists at least 30 numbered cases, each naming tests in its last column. Every
 * named test must be a test the build runs (a {@code @Test} of a {@code *Test}, {@code *IT} or
 * {@code *E2E} class, not disabled), and for every case at least one of them must use what the case
 * documents: a piece of its field paths, reasons or messages appears in the test method, its
 * annotations or its {@code @MethodSource}. A helper that merely has the listed name, or a test of
 * something else, does not count.
 */
class BadInputDocTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern ROW = Pattern.compile("(?m)^\\| (\\d+) \\|(.*)\\|\\s*$");
  private static final Pattern TEST = Pattern.compile("`([A-Z][A-Za-z0-9]*)#([A-Za-z0-9_]+)`");
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");
  private static final Pattern PIECE_BREAK =
      Pattern.compile("<[^>]*>|\\.\\.\\.|…|\"|'|: |, |; |\\(|\\)");

  /** A documented case: its number, what it documents, and the tests it names. */
  record Case(int number, String documented, List<String[]> tests) {}

  private static List<Case> cases;
  private static Map<String, TestSource> sources;

  @BeforeAll
  static void read() throws IOException {
    cases = new ArrayList<>();
    Matcher row = ROW.matcher(Files.readString(ROOT.resolve("docs/bad-input.md")));
    while (row.find()) {
      String[] cells = row.group(2).split("\\|");
      List<String[]> tests = new ArrayList<>();
      Matcher test = TEST.matcher(cells[cells.length - 1]);
      while (test.find()) {
        tests.add(new String[] {test.group(1), test.group(2)});
      }
      String documented = String.join("|", List.of(cells).subList(0, cells.length - 1));
      cases.add(new Case(Integer.parseInt(row.group(1)), documented, tests));
    }
    sources = testSources();
  }

  @Test
  void everyCaseIsNumbered_fromOne_atLeastThirty_andNamesATest() {
    assertThat(cases).hasSizeGreaterThanOrEqualTo(30);
    assertThat(cases.stream().map(Case::number).toList())
        .as("cases are numbered 1, 2, 3, ...")
        .isEqualTo(java.util.stream.IntStream.rangeClosed(1, cases.size()).boxed().toList());
    assertThat(cases)
        .as("cases naming no test in their last column")
        .allMatch(c -> !c.tests().isEmpty());
  }

  @Test
  void everyNamedTest_isATestTheBuildRuns() {
    List<String> problems = new ArrayList<>();
    for (Case c : cases) {
      for (String[] test : c.tests()) {
        TestSource source = sources.get(test[0]);
        Optional<String> problem =
            source == null
                ? Optional.of("no class " + test[0] + " under any src/test/java")
                : source.whyNotARunTest(test[1]);
        problem.ifPresent(p -> problems.add("#" + c.number() + ": " + p));
      }
    }

    assertThat(problems).as("tests named in docs/bad-input.md").isEmpty();
  }

  @Test
  void everyCase_isExercisedByOneOfItsTests() {
    List<String> unproven = new ArrayList<>();
    for (Case c : cases) {
      Set<String> pieces = pieces(c.documented());
      boolean used =
          c.tests().stream()
              .filter(t -> sources.containsKey(t[0]))
              .filter(t -> sources.get(t[0]).member(t[1]).isPresent())
              .map(t -> sources.get(t[0]).textOf(t[1]))
              .anyMatch(text -> pieces.stream().anyMatch(text::contains));
      if (!used) {
        unproven.add("#" + c.number() + " (none of " + pieces + ")");
      }
    }

    assertThat(unproven)
        .as("cases whose named tests use none of what the case documents")
        .isEmpty();
  }

  /**
   * The pieces of the case's code spans between placeholders ({@code <name>}, {@code ...}) and
   * punctuation, at least four characters long: field paths, reasons, message fragments.
   */
  static Set<String> pieces(String documented) {
    Set<String> pieces = new LinkedHashSet<>();
    Matcher code = CODE.matcher(documented);
    while (code.find()) {
      for (String piece : PIECE_BREAK.split(code.group(1))) {
        String trimmed = piece.strip().replaceAll("^[.:;,]+|[.:;,]+$", "");
        if (trimmed.length() >= 4) {
          pieces.add(trimmed);
        }
      }
    }
    return pieces;
  }

  /** Every test class of every module, by simple name. */
  private static Map<String, TestSource> testSources() throws IOException {
    Map<String, TestSource> out = new HashMap<>();
    try (Stream<Path> modules = Files.list(ROOT)) {
      modules
          .map(module -> module.resolve("src/test/java"))
          .filter(Files::isDirectory)
          .flatMap(BadInputDocTest::walk)
          .filter(file -> file.getFileName().toString().endsWith(".java"))
          .forEach(
              file -> {
                String name = file.getFileName().toString().replace(".java", "");
                out.put(name, new TestSource(name, read(file)));
              });
    }
    return out;
  }

  private static Stream<Path> walk(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
