package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The commands of CONTRIBUTING.md: the README's two, and ones that name modules, tests, simulation
 * settings and files that exist, so that each runs as written.
 */
class ContributingGuideTest {
  private static final Path REPOSITORY = ExampleGuide.REPOSITORY;
  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern TESTS = Pattern.compile("-D(?:it\\.)?test='?([^'\\s]+)'?");
  private static final Pattern DST = Pattern.compile("-D(dst\\.[a-z]+)=(\\S+)");
  private static final Pattern PATH = Pattern.compile("`((?:[a-z0-9-]+/)+[A-Za-z0-9.-]*)`");
  private static final Path SIM =
      Path.of("operator/src/test/java/cloud/phala/operator/app/sim/ControlLoopSimulationTest.java");
  private static final Path SEEDS =
      Path.of("operator/src/test/resources/cloud/phala/operator/app/sim/regression-seeds.txt");

  private final String guide = read(Path.of("CONTRIBUTING.md"));
  private final List<String> commands = DocBlocks.shellLines(guide);

  @Test
  void theGuide_startsWithTheReadmesTwoCommands() {
    List<String> readme = DocBlocks.shellLines(section(read(Path.of("README.md")), "## Try it"));
    readme.addAll(DocBlocks.shellLines(section(read(Path.of("README.md")), "## Test")));

    assertThat(readme).containsExactly("./demo/run.sh", "./mvnw verify");
    assertThat(commands.subList(0, 2)).containsExactly("./demo/run.sh --once", "./mvnw verify");
    assertThat(read(Path.of("demo", "run.sh"))).contains("--once");
  }

  @Test
  void everyMavenCommand_namesModulesAndTestsThatExist() {
    List<String> modules = new ArrayList<>();
    Matcher module = MODULE.matcher(read(Path.of("pom.xml")));
    while (module.find()) {
      modules.add(module.group(1));
    }
    List<String> maven = commands.stream().filter(c -> c.startsWith("./mvnw ")).toList();
    assertThat(maven).hasSizeGreaterThanOrEqualTo(8);
    for (String command : maven) {
      List<String> words = Arrays.asList(command.split("\\s+"));
      int pl = words.indexOf("-pl");
      String in = pl < 0 ? null : words.get(pl + 1);
      if (in != null) {
        assertThat(modules).as(command).contains(in);
      }
      Matcher tests = TESTS.matcher(command);
      while (tests.find()) {
        for (String name : tests.group(1).split(",")) {
          if (!name.equals("NONE")) {
            assertThat(testClass(in, name.replaceAll("#.*", "")))
                .as("%s names %s", command, name)
                .isTrue();
          }
        }
      }
    }
  }

  @Test
  void theSimulationSettings_areOnesTheSimulationReads_andTheReplayIsARegressionSeed() {
    String simulation = read(SIM) + read(SIM.resolveSibling("ControlLoop.java"));
    List<String> seeds = read(SEEDS).lines().filter(l -> !l.startsWith("#")).toList();
    int settings = 0;
    for (String command : commands) {
      Matcher dst = DST.matcher(command);
      while (dst.find()) {
        settings++;
        assertThat(simulation).as(command).contains("\"" + dst.group(1) + "\"");
        if (dst.group(1).equals("dst.replay")) {
          assertThat(seeds).as("a replay that holds now").contains(dst.group(2));
        }
      }
    }
    assertThat(settings).isEqualTo(4);
  }

  @Test
  void theCrdIsCopiedToBothCommittedPlaces_andEveryPathNamedExists() {
    List<String> copies = commands.stream().filter(c -> c.startsWith("cp ")).toList();
    assertThat(copies)
        .extracting(c -> c.split("\\s+")[2])
        .containsExactlyInAnyOrder(
            "crds/phalaapps.phala.cloud-v1.yml",
            "helm/phala-operator/crds/phalaapps.phala.cloud-v1.yml");
    assertThat(copies)
        .extracting(c -> c.split("\\s+")[1])
        .containsOnly("crds/target/classes/META-INF/fabric8/phalaapps.phala.cloud-v1.yml");
    assertThat(commands)
        .allMatch(
            c -> c.startsWith("./mvnw ") || c.startsWith("./demo/run.sh") || c.startsWith("cp "));
    Matcher path = PATH.matcher(guide);
    while (path.find()) {
      assertThat(REPOSITORY.resolve(path.group(1))).as(path.group(1)).exists();
    }
  }

  private static boolean testClass(String module, String name) {
    Path tests = REPOSITORY.resolve(module == null ? "." : module).resolve("src/test/java");
    try (Stream<Path> files = Files.walk(tests)) {
      return files.anyMatch(f -> f.getFileName().toString().equals(name + ".java"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String section(String markdown, String heading) {
    int start = markdown.indexOf(heading + "\n");
    assertThat(start).as(heading).isNotNegative();
    int end = markdown.indexOf("\n## ", start + heading.length());
    return markdown.substring(start, end < 0 ? markdown.length() : end);
  }

  private static String read(Path relative) {
    try {
      return Files.readString(REPOSITORY.resolve(relative));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
