package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/reference.md names every field of the committed CRD, every printer column, and every
 * condition type, condition reason and Event reason the operator's code writes.
 */
class ReferenceDocTest {
  private static final Path CRD = Path.of("..", "crds", "phalaapps.phala.cloud-v1.yml");
  private final String reference = read(Path.of("..", "docs", "reference.md"));
  private final JsonNode version = crd().at("/spec/versions/0");

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (Exception e) {
      throw new AssertionError("cannot read " + path, e);
    }
  }

  private static JsonNode crd() {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(CRD.toFile());
    } catch (Exception e) {
      throw new AssertionError("cannot read " + CRD, e);
    }
  }

  @Test
  void everySpecAndStatusField_isDocumented() {
    List<String> paths = new ArrayList<>();
    JsonNode root = version.at("/schema/openAPIV3Schema/properties");
    collect("spec", root.get("spec"), paths);
    collect("status", root.get("status"), paths);

    assertThat(paths).contains("spec.rollout.maxSurge", "status.cvms[].phase");
    assertThat(undocumented(paths)).as("fields missing from docs/reference.md").isEmpty();
  }

  @Test
  void everyPrinterColumn_isDocumented() {
    assertThat(version.get("additionalPrinterColumns")).isNotEmpty();
    for (JsonNode column : version.get("additionalPrinterColumns")) {
      assertThat(reference)
          .contains(
              "| `" + column.get("name").asText() + "` | `" + column.get("jsonPath").asText());
    }
  }

  @Test
  void everyConditionTypeAndReason_andEveryEventReason_inTheOperatorsCode_isDocumented() {
    var types = OperatorReasons.conditionTypes();
    var reasons = OperatorReasons.reasons();

    assertThat(types).contains("Ready", "Progressing", "Degraded", "SecretsResolved");
    assertThat(reasons)
        .as("the source scan finds each shape of reason")
        .contains(
            "AllReplicasReady", // a ternary in ConditionSet.set
            "Created", // events.normal
            "CloudError", // events.warning
            "ComposeWarning", // warnOnChange
            "MissingSource", // reason = "..."
            "SignatureVerified", // EnvKeyTrust's Outcome
            "KmsUnavailable", // EnvKeyTrust's refused
            "QuotedInterpolation"); // ComposeLint's Warning
    assertThat(undocumented(types)).as("condition types missing from docs/reference.md").isEmpty();
    assertThat(undocumented(reasons)).as("reasons missing from docs/reference.md").isEmpty();
  }

  /** The names not written as {@code `name`} in docs/reference.md. */
  private List<String> undocumented(Collection<String> names) {
    return names.stream().filter(name -> !reference.contains("`" + name + "`")).toList();
  }

  /** Field paths under {@code node}: {@code a.b} for properties, {@code a[].b} for list items. */
  private static void collect(String path, JsonNode node, List<String> paths) {
    JsonNode items = node.get("items");
    if (items != null) {
      collectProperties(path + "[]", items, paths);
    }
    collectProperties(path, node, paths);
  }

  private static void collectProperties(String path, JsonNode node, List<String> paths) {
    JsonNode properties = node.get("properties");
    if (properties == null) {
      return;
    }
    for (Map.Entry<String, JsonNode> field : properties.properties()) {
      String child = path + "." + field.getKey();
      paths.add(child);
      collect(child, field.getValue(), paths);
    }
  }
}
