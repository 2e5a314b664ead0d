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

/**
 * Relative links in README.md, CONTRIBUTING.md, docs/ and examples/README.md point at files that
 * exist.
 */
class DocLinksTest {
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(?:#[^)]*)?\\)");

  @Test
  void theReadme_linksTheReferenceTheMetricsAndTheDashboard() throws IOException {
    assertThat(Files.readString(REPOSITORY.resolve("README.md")))
        .contains(
            "(docs/reference.md)",
            "(docs/metrics.md)",
            "(docs/grafana/phala-operator.json)",
            "(examples/README.md)",
            "(docs/interop.md)",
            "(CONTRIBUTING.md)",
            "(LICENSE)");
  }

  @Test
  void everyRelativeLink_resolves() throws IOException {
    List<Path> pages =
        new ArrayList<>(
            List.of(REPOSITORY.resolve("README.md"), REPOSITORY.resolve("CONTRIBUTING.md")));
    pages.add(REPOSITORY.resolve("examples").resolve("README.md"));
    try (Stream<Path> docs = Files.list(REPOSITORY.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
    }
    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      Matcher link = LINK.matcher(Files.readString(page));
      while (link.find()) {
        String target = link.group(1);
        if (!target.contains("://") && !Files.exists(page.getParent().resolve(target))) {
          broken.add(REPOSITORY.relativize(page) + " -> " + target);
        }
      }
    }
    assertThat(broken).isEmpty();
  }
}
