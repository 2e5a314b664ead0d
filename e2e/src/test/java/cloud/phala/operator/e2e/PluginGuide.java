package cloud.phala.operator.e2e;

import cloud.phala.operator.testsupport.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docs/kubectl-plugin.md: its shell commands by section, and the archive the build made. */
final class PluginGuide {
  static final Path PAGE = ExampleGuide.REPOSITORY.resolve("docs/kubectl-plugin.md");

  /** The plugin archive kubectl-plugin built; e2e/pom.xml passes its path to failsafe. */
  static final Path ARCHIVE = Path.of(System.getProperty("phala.kubectl.archive", "missing"));

  /**
   * Sections whose commands kubectl-plugin's tests run: KrewInstallIT the krew one,
   * KubectlPluginGuideIT the others (on status written as the operator writes it).
   */
  static final List<String> RUN_BY_PLUGIN_IT =
      List.of("Install with krew", "Restart", "Retry a failed rollout", "History and undo");

  private static final Pattern SECTION = Pattern.compile("(?ms)^## ([^\\n]+)\\n(.*?)(?=^## |\\z)");

  private PluginGuide() {}

  /** The shell command lines of each {@code ## section} that has any, in order. */
  static Map<String, List<String>> commands() throws IOException {
    Map<String, List<String>> commands = new LinkedHashMap<>();
    Matcher section = SECTION.matcher(Files.readString(PAGE));
    while (section.find()) {
      List<String> lines = DocBlocks.shellLines(section.group(2));
      if (!lines.isEmpty()) {
        commands.put(section.group(1).trim(), lines);
      }
    }
    return commands;
  }

  /** The archive unpacked with tar into a new directory, as a user or krew would. */
  static Path unpacked() throws IOException {
    Path dir = Files.createTempDirectory("kubectl-phala-");
    Command.run(
            Duration.ofMinutes(1), List.of("tar", "-xzf", ARCHIVE.toString(), "-C", dir.toString()))
        .requireSuccess();
    return dir;
  }
}
