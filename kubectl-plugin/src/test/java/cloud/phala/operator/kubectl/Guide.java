package cloud.phala.operator.kubectl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docs/kubectl-plugin.md: the shell command lines of one {@code ## section}. */
final class Guide {
  static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern BLOCK = Pattern.compile("(?s)```sh\\n(.*?)```");

  private Guide() {}

  static List<String> commands(String section) throws IOException {
    String page = Files.readString(REPOSITORY.resolve("docs/kubectl-plugin.md"));
    int start = page.indexOf("\n## " + section + "\n");
    if (start < 0) {
      throw new IllegalStateException("docs/kubectl-plugin.md has no section " + section);
    }
    int end = page.indexOf("\n## ", start + 1);
    Matcher block = BLOCK.matcher(page.substring(start, end < 0 ? page.length() : end));
    List<String> lines = new ArrayList<>();
    while (block.find()) {
      block.group(1).lines().filter(l -> !l.isBlank()).forEach(lines::add);
    }
    return lines;
  }
}
