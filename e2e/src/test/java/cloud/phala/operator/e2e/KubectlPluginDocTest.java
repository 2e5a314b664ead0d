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

/** docs/kubectl-plugin.md: every section with commands is run, and every test it names exists. */
class KubectlPluginDocTest {
  private static final Pattern NAMED_TEST =
      Pattern.compile("`([A-Z][A-Za-z0-9]*(?:Test|IT|E2E))(?:\\.([A-Za-z0-9_]+))?`");

  @Test
  void everySectionWithCommands_isRunByKubectlPluginGuideE2EOrThePluginModulesTests()
      throws Exception {
    List<String> expected =
        new ArrayList<>(List.of("Install", "Follow a rollout", "Pause and resume"));
    expected.addAll(PluginGuide.RUN_BY_PLUGIN_IT);
    assertThat(PluginGuide.commands().keySet()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void everyTestThePageNames_existsWithTheNamedMethod() throws Exception {
    Matcher named = NAMED_TEST.matcher(Files.readString(PluginGuide.PAGE));
    int count = 0;
    while (named.find()) {
      count++;
      Path source = source(named.group(1));
      assertThat(source).as("a test class %s in the repository", named.group(1)).isNotNull();
      if (named.group(2) != null) {
        assertThat(Files.readString(source))
            .as("%s has a test %s", named.group(1), named.group(2))
            .contains(" " + named.group(2) + "(");
      }
    }
    assertThat(count).isGreaterThan(10);
  }

  private static Path source(String className) throws IOException {
    try (Stream<Path> files = Files.walk(ExampleGuide.REPOSITORY)) {
      return files
          .filter(p -> p.toString().contains("/src/test/java/"))
          .filter(p -> p.getFileName().toString().equals(className + ".java"))
          .findFirst()
          .orElse(null);
    }
  }
}
