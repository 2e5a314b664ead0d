package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The container image Jib builds from operator/pom.xml: what the chart's restricted pod needs, and
 * never built by {@code ./mvnw verify}. HelmChartIT checks the chart's side of the same contract.
 */
class OperatorImageTest {
  private final OperatorImage image = OperatorImage.read();

  @Test
  void jib_isBoundToNoPhase_andSkippedInEveryModuleButTheOperator() {
    assertThat(OperatorImage.child(image.plugin(), "executions")).isEmpty();
    assertThat(image.plugin().getElementsByTagName("phase").getLength()).isZero();
    assertThat(image.config("skip")).contains("false");
    assertThat(image.managedPlugin()).as("the version is pinned in the parent").isPresent();
    assertThat(OperatorImage.child(image.managedPlugin().orElseThrow(), "version")).isPresent();
    assertThat(image.parentPlugin()).isPresent();
    assertThat(OperatorImage.child(image.parentPlugin().orElseThrow(), "executions")).isEmpty();
    assertThat(image.parentPlugin().orElseThrow().getElementsByTagName("skip").item(0))
        .extracting(skip -> skip.getTextContent().trim())
        .isEqualTo("true");
  }

  @Test
  void theEntrypoint_runsOperatorMain_asANonRootUser_withContainerSizedJvmFlags() throws Exception {
    Class<?> main = Class.forName(image.config("container", "mainClass").orElseThrow());
    Method entry = main.getMethod("main", String[].class);

    assertThat(main.getName()).isEqualTo("cloud.phala.operator.app.OperatorMain");
    assertThat(Modifier.isStatic(entry.getModifiers())).isTrue();
    assertThat(image.uid()).isPositive();
    assertThat(image.gid()).isPositive();
    assertThat(image.jvmFlags())
        .contains(
            "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp");
    assertThat(image.config("container", "entrypoint"))
        .as("Jib's default entrypoint: java <jvmFlags> -cp ... <mainClass>")
        .isEmpty();
  }

  @Test
  void theImage_carriesTheOciLabels_andBuildsOnAConfigurableTemurinJre() {
    assertThat(image.labels())
        .containsEntry("org.opencontainers.image.title", "phala-operator")
        .containsEntry("org.opencontainers.image.version", "0.1.0-SNAPSHOT")
        .containsKeys(
            "org.opencontainers.image.source",
            "org.opencontainers.image.licenses",
            "org.opencontainers.image.description");
    assertThat(image.labels().values()).allSatisfy(value -> assertThat(value).isNotBlank());
    assertThat(image.config("from", "image")).contains("eclipse-temurin:17-jre");
    assertThat(image.plugin().getElementsByTagName("image").item(0).getTextContent())
        .as("a property, so -Dimage.base=... picks another base")
        .isEqualTo("${image.base}");
  }

  @Test
  void theLicenseLabel_isTheSpdxIdOfLicense_andOfThePom() throws Exception {
    String license = Files.readString(Path.of("..", "LICENSE"));
    String spdx =
        license.strip().startsWith("Apache License\n                           Version 2.0")
                && license.contains("END OF TERMS AND CONDITIONS")
            ? "Apache-2.0"
            : "an unknown license: LICENSE is not the Apache License 2.0 text";

    assertThat(image.labels()).containsEntry("org.opencontainers.image.licenses", spdx);
    assertThat(image.pomLicenses()).containsExactly(spdx);
  }

  @Test
  void theDocumentedBuildCommands_nameTheOperatorModule_andTheGoalsOnly() throws Exception {
    String install = Files.readString(Path.of("..", "docs", "install.md"));
    List<String> commands =
        install.lines().filter(line -> line.startsWith("./mvnw") && line.contains("jib:")).toList();

    assertThat(commands)
        .containsExactly(
            "./mvnw -pl operator -am package jib:buildTar -DskipTests",
            "./mvnw -pl operator -am package jib:build -DskipTests");
    assertThat(image.config("outputPaths", "tar"))
        .as("docs/install.md names the tarball")
        .hasValueSatisfying(tar -> assertThat(install).contains("operator/" + tar));
  }

  @Test
  void theImage_isTheOneTheChartDeploysByDefault() throws Exception {
    JsonNode values =
        new ObjectMapper(new YAMLFactory()).readTree(Chart.DIR.resolve("values.yaml").toFile());
    JsonNode chart =
        new ObjectMapper(new YAMLFactory()).readTree(Chart.DIR.resolve("Chart.yaml").toFile());
    String to = image.config("to", "image").orElseThrow();
    String version = image.resolve("${project.version}");

    assertThat(to).isEqualTo(values.at("/image/repository").asText() + ":" + version);
    assertThat(chart.get("appVersion").asText())
        .as("a release's image tag (the version without -SNAPSHOT) is the chart's appVersion")
        .isEqualTo(version.replace("-SNAPSHOT", ""));
  }
}
