package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.testsupport.Command;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs docs/install.md's image command in a clone of the repository (so this build's own output is
 * not touched), offline and from the empty {@code scratch} base, since no base image can be pulled
 * here, and reads the OCI image it wrote.
 *
 * <p>Offline, the command can use only what this build put in its own local repository ({@code
 * -Dmaven.repo.local}, {@code ~/.m2/repository} by default): the build has resolved everything the
 * clone's modules need, and e2e/pom.xml resolves the Jib plugin with its dependencies just before
 * this test, so it passes on a machine that never built the project, and never relies on what an
 * earlier build left in a shared repository.
 */
class ImageBuildE2E {
  /** This build's local repository; e2e/pom.xml passes it to failsafe. */
  private static final String LOCAL_REPOSITORY = System.getProperty("phala.maven.repo.local");

  @Test
  void theDocumentedJibCommand_buildsAnImageOfTheOperator_runningAsNonRoot() throws Exception {
    assertThat(LOCAL_REPOSITORY)
        .as("phala.maven.repo.local, set by e2e/pom.xml's failsafe configuration")
        .isNotBlank();
    String command = documentedBuildTar();
    Path clone = Files.createTempDirectory("phala-image-").resolve("repo");
    Command.run(
            Duration.ofMinutes(1),
            List.of(
                "git",
                "clone",
                "--quiet",
                "--depth",
                "1",
                "file://" + ExampleGuide.REPOSITORY,
                clone.toString()))
        .requireSuccess();

    Command.run(
            Duration.ofMinutes(10),
            List.of(
                "bash",
                "-c",
                "cd \"$1\" && " + command + " -o -q -Dimage.base=scratch \"$2\"",
                "image",
                clone.toString(),
                "-Dmaven.repo.local=" + LOCAL_REPOSITORY))
        .requireSuccess();

    Path image = unpack(clone.resolve("operator/target/phala-operator-image.tar"));
    JsonNode index = read(image.resolve("index.json"));
    JsonNode manifest = read(blob(image, index.at("/manifests/0/digest").asText()));
    JsonNode config = read(blob(image, manifest.at("/config/digest").asText()));
    assertThat(config.at("/config/User").asText()).isEqualTo("65532:65532");
    assertThat(config.at("/config/Entrypoint").toString())
        .contains("cloud.phala.operator.app.OperatorMain", "-XX:MaxRAMPercentage=75");
    assertThat(config.at("/config/Labels/org.opencontainers.image.title").asText())
        .isEqualTo("phala-operator");
    assertThat(manifest.get("layers").size())
        .as("dependencies, resources, classes")
        .isGreaterThan(1);
  }

  /** The jib:buildTar line of docs/install.md, as written. */
  private static String documentedBuildTar() throws IOException {
    List<String> lines =
        DocBlocks.shellLines(Files.readString(ExampleGuide.REPOSITORY.resolve("docs/install.md")))
            .stream()
            .filter(l -> l.contains("jib:buildTar"))
            .toList();
    assertThat(lines).as("docs/install.md gives one jib:buildTar command").hasSize(1);
    return lines.get(0);
  }

  /** An OCI layout blob by its {@code sha256:...} digest. */
  private static Path blob(Path image, String digest) {
    return image.resolve("blobs").resolve(digest.replace(':', '/'));
  }

  private static JsonNode read(Path file) throws IOException {
    return new ObjectMapper().readTree(file.toFile());
  }

  /** The image tarball unpacked with tar, as a container engine would read it. */
  private static Path unpack(Path tar) throws IOException {
    Path dir = Files.createTempDirectory("phala-image-files-");
    Command.run(Duration.ofMinutes(1), List.of("tar", "-xf", tar.toString(), "-C", dir.toString()))
        .requireSuccess();
    return dir;
  }
}
