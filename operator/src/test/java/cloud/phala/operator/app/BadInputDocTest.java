package cloud.phala.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/bad-input.md lists at least 30 numbered cases, and every {@code Class#method} it names is a
 * test method in some module's src/test/java, so the doc cannot drift from the tests.
 */
class BadInputDocTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern ROW = Pattern.compile("(?m)^\\| (\\d+) \\|(.*)\\|\\s*$");
  private static final Pattern TEST = Pattern.compile("`([A-Z][A-Za-z0-9]*)#([A-Za-z0-9_]+)`");

  @Test
  void everyCaseIsNumbered_atLeastThirty_andNamesTestsThatExist() throws IOException {
    Matcher row = ROW.matcher(Files.readString(ROOT.resolve("docs/bad-input.md")));
    List<Integer> numbers = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    while (row.find()) {
      int number = Integer.parseInt(row.group(1));
      numbers.add(number);
      String[] cells = row.group(2).split("\\|");
      Matcher test = TEST.matcher(cells[cells.length - 1]);
      int tests = 0;
      while (test.find()) {
        tests++;
        if (!testMethodExists(test.group(1), test.group(2))) {
          missing.add("#" + number + " " + test.group(1) + "#" + test.group(2));
        }
      }
      assertThat(tests).as("case %d names a test in its last column", number).isPositive();
    }

    assertThat(numbers).hasSizeGreaterThanOrEqualTo(30);
    assertThat(numbers)
        .as("cases are numbered 1, 2, 3, ...")
        .isEqualTo(java.util.stream.IntStream.rangeClosed(1, numbers.size()).boxed().toList());
    assertThat(missing).as("tests named in docs/bad-input.md that do not exist").isEmpty();
  }

  /** A file {@code Class.java} under some module's src/test/java declaring {@code void method(}. */
  private static boolean testMethodExists(String className, String method) throws IOException {
    Pattern declaration = Pattern.compile("\\bvoid\\s+" + Pattern.quote(method) + "\\s*\\(");
    try (Stream<Path> modules = Files.list(ROOT)) {
      return modules
          .map(module -> module.resolve("src/test/java"))
          .filter(Files::isDirectory)
          .flatMap(BadInputDocTest::walk)
          .filter(file -> file.getFileName().toString().equals(className + ".java"))
          .anyMatch(file -> declaration.matcher(read(file)).find());
    }
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
