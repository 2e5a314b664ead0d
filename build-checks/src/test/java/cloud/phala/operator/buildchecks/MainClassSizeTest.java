package cloud.phala.operator.buildchecks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small classes: no source file under any module's {@code src/main/java} is over 300 lines. */
class MainClassSizeTest {
  static final int MAX_LINES = 300;
  private static final Path ROOT = Path.of(System.getProperty("phala.repo.root")).normalize();
  private static final Set<String> SKIPPED = Set.of("target", "node_modules", ".git", ".mvn");

  @Test
  void noMainClass_isOverThreeHundredLines() throws IOException {
    assertThat(oversized(ROOT))
        .as("main classes over %d lines: split out a piece with one job", MAX_LINES)
        .isEmpty();
  }

  @Test
  void aMainClassOfThreeHundredAndOneLines_isReported_butNotOneOfThreeHundredNorATest(
      @TempDir Path root) throws IOException {
    write(root.resolve("m/src/main/java/a/Big.java"), MAX_LINES + 1);
    write(root.resolve("m/src/main/java/a/AtTheLimit.java"), MAX_LINES);
    write(root.resolve("m/src/test/java/a/BigTest.java"), MAX_LINES + 1);

    assertThat(oversized(root)).containsExactly("m/src/main/java/a/Big.java: 301 lines");
  }

  /** Each {@code .java} file under a {@code src/main/java} over the limit, with its line count. */
  static List<String> oversized(Path root) throws IOException {
    List<String> found = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            return SKIPPED.contains(String.valueOf(dir.getFileName()))
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            String relative = root.relativize(file).toString().replace('\\', '/');
            if (relative.endsWith(".java") && relative.contains("src/main/java/")) {
              long lines = Files.readAllLines(file).size();
              if (lines > MAX_LINES) {
                found.add(relative + ": " + lines + " lines");
              }
            }
            return FileVisitResult.CONTINUE;
          }
        });
    found.sort(null);
    return found;
  }

  private static void write(Path file, int lines) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "//\n".repeat(lines));
  }
}
