package cloud.phala.operator.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fenced code blocks of a Markdown text, as the doc-driven tests run them. */
final class DocBlocks {
  private DocBlocks() {}

  /** The bodies of the {@code ```language} blocks of {@code markdown}, in order. */
  static List<String> of(String markdown, String language) {
    Matcher block =
        Pattern.compile("(?s)```" + Pattern.quote(language) + "\\n(.*?)```").matcher(markdown);
    List<String> bodies = new ArrayList<>();
    while (block.find()) {
      bodies.add(block.group(1));
    }
    return bodies;
  }

  /** The non-blank lines of every {@code ```sh} block of {@code markdown}, in order. */
  static List<String> shellLines(String markdown) {
    List<String> lines = new ArrayList<>();
    of(markdown, "sh").forEach(b -> b.lines().filter(l -> !l.isBlank()).forEach(lines::add));
    return lines;
  }
}
