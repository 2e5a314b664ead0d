package cloud.phala.operator.buildchecks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds a copy of the project with one planted violation each and expects the build to fail for
 * that reason. Runs Maven offline against the local repository the outer build just filled (its
 * own, {@code -Dmaven.repo.local} included, handed over by failsafe), never another.
 */
class BuildGuardsIT {
  private static final Path ROOT = Path.of(System.getProperty("phala.repo.root")).normalize();

  @TempDir static Path copy;

  @BeforeAll
  static void copyTheProject() throws IOException {
    for (String top : List.of("pom.xml", "mvnw", ".mvn", "crypto")) {
      copyTree(ROOT.resolve(top), copy.resolve(top));
    }
    // The copy builds only crypto: drop the other modules from the reactor.
    Path pom = copy.resolve("pom.xml");
    String parent = Files.readString(pom);
    Files.writeString(
        pom,
        parent.replaceAll(
            "(?s)<modules>.*?</modules>", "<modules><module>crypto</module></modules>"));
  }

  @Test
  void aFormattingViolation_failsTheBuild() throws Exception {
    Path source = copy.resolve("crypto/src/main/java/cloud/phala/operator/crypto/Utf8.java");
    String original = Files.readString(source);
    Files.writeString(source, original.replace("private Utf8() {}", "private Utf8()   {   }"));
    try {
      Result result = maven("spotless:check");

      assertThat(result.exitCode).isNotZero();
      assertThat(result.output).contains("format violations").contains("Utf8.java");
    } finally {
      Files.writeString(source, original);
    }
  }

  @Test
  void aKubernetesDependencyInCrypto_isBannedByTheEnforcer() throws Exception {
    Path pom = copy.resolve("crypto/pom.xml");
    String original = Files.readString(pom);
    Files.writeString(
        pom,
        original.replaceFirst(
            "<dependencies>",
            "<dependencies><dependency><groupId>io.fabric8</groupId>"
                + "<artifactId>kubernetes-model-common</artifactId><version>7.5.2</version>"
                + "</dependency>"));
    try {
      Result result = maven("validate");

      assertThat(result.exitCode).isNotZero();
      assertThat(result.output).contains("crypto must not depend on Kubernetes");
    } finally {
      Files.writeString(pom, original);
    }
  }

  @Test
  void theUntouchedCopy_passesTheSameChecks() throws Exception {
    Result result = maven("validate", "spotless:check");

    assertThat(result.exitCode).as(result.output).isZero();
  }

  private record Result(int exitCode, String output) {}

  private static Result maven(String... goals) throws Exception {
    List<String> command =
        Stream.concat(
                Stream.of(
                    "./mvnw",
                    "-o",
                    "-B",
                    "-q",
                    "-Dmaven.repo.local=" + System.getProperty("phala.maven.repo.local")),
                Stream.of(goals))
            .toList();
    Path log = Files.createTempFile("build-guard-", ".log");
    Process process =
        new ProcessBuilder(command)
            .directory(copy.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    return new Result(process.exitValue(), Files.readString(log));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        if (path.toString().contains("/target/")) {
          continue;
        }
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
