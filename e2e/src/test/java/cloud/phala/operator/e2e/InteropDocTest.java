package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/interop.md names tests that exist, and InteropIT is among them. */
class InteropDocTest {
  private static final Path REPOSITORY = ExampleGuide.REPOSITORY;
  private static final Pattern TEST = Pattern.compile("`([A-Z][A-Za-z]+(?:IT|Test))#([A-Za-z_]+)`");

  @Test
  void everyTestTheDocNames_exists() throws IOException {
    String doc = Files.readString(REPOSITORY.resolve("docs/interop.md"));
    List<String> named = new ArrayList<>();
    Matcher test = TEST.matcher(doc);
    while (test.find()) {
      named.add(test.group(1) + "#" + test.group(2));
      assertThat(source(test.group(1)))
          .as("%s in operator/src/test/java", test.group(1))
          .contains("void " + test.group(2) + "(");
    }
    assertThat(named).filteredOn(n -> n.startsWith("InteropIT#")).hasSize(2);
  }

  private static String source(String testClass) throws IOException {
    try (Stream<Path> files = Files.walk(REPOSITORY.resolve("operator/src/test/java"))) {
      Path file =
          files
              .filter(f -> f.getFileName().toString().equals(testClass + ".java"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no " + testClass + ".java"));
      return Files.readString(file);
    }
  }
}
