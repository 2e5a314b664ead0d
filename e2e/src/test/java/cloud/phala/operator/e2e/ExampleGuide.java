package cloud.phala.operator.e2e;

import cloud.phala.operator.crd.PhalaApp;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** examples/: each directory's manifests, and its commands from examples/README.md. */
final class ExampleGuide {
  static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  static final Path EXAMPLES = REPOSITORY.resolve("examples");
  private static final Pattern SECTION = Pattern.compile("(?ms)^## (\\S+)\\n(.*?)(?=^## |\\z)");

  private ExampleGuide() {}

  /** Every directory under examples/, by name. */
  static List<String> directories() {
    try (Stream<Path> entries = Files.list(EXAMPLES)) {
      return entries
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The shell commands of each {@code ## name} section of examples/README.md, in order. */
  static Map<String, List<String>> commands() throws IOException {
    Map<String, List<String>> commands = new LinkedHashMap<>();
    Matcher section = SECTION.matcher(Files.readString(EXAMPLES.resolve("README.md")));
    while (section.find()) {
      commands.put(section.group(1), DocBlocks.shellLines(section.group(2)));
    }
    return commands;
  }

  /** The one PhalaApp among the manifests of an example directory. */
  static PhalaApp app(String directory) throws IOException {
    List<PhalaApp> apps = new ArrayList<>();
    try (Stream<Path> files = Files.list(EXAMPLES.resolve(directory))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        for (HasMetadata object : Chart.parse(Files.readString(file))) {
          if ("PhalaApp".equals(object.getKind())) {
            apps.add(Serialization.jsonMapper().convertValue(object, PhalaApp.class));
          }
        }
      }
    }
    if (apps.size() != 1) {
      throw new AssertionError("examples/" + directory + " has " + apps.size() + " PhalaApps");
    }
    return apps.get(0);
  }

  static int replicas(PhalaApp app) {
    return app.getSpec().replicas == null ? 1 : app.getSpec().replicas;
  }

  /** replicas - maxUnavailable: how many CVMs must serve throughout a rolling update. */
  static int minimumServing(PhalaApp app) {
    int replicas = replicas(app);
    IntOrString max = app.getSpec().rollout == null ? null : app.getSpec().rollout.maxUnavailable;
    int unavailable;
    if (max == null) {
      unavailable = 1;
    } else if (max.getIntVal() != null) {
      unavailable = max.getIntVal();
    } else {
      unavailable = replicas * Integer.parseInt(max.getStrVal().replace("%", "")) / 100;
    }
    return Math.max(0, replicas - unavailable);
  }
}
