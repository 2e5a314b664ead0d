package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.status.Phase;
import cloud.phala.operator.app.status.Reason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * docs/reference.md names every field of the committed CRD, every printer column, and the
 * operator's vocabulary: every {@link Phase}, every {@link ConditionType} with each {@link Reason}
 * of it, and every Event reason, with nothing the operator does not write.
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
  void theStatusPhaseTable_listsEveryPhase_andNothingElse() {
    List<String> phases = column(section("### Status phase"), 0);

    assertThat(phases)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(Phase.values()).map(Phase::wire).toList());
  }

  @Test
  void theConditionsTable_listsEveryConditionType_inTheOrderWritten_withEveryReasonOfIt() {
    List<List<String>> rows = rows(section("## Conditions"));
    Set<String> documented = new TreeSet<>();
    List<String> types = new ArrayList<>();
    String type = null;
    for (List<String> row : rows) {
      if (!row.get(0).isEmpty()) {
        type = unquote(row.get(0));
        types.add(type);
      }
      documented.add(type + "/" + unquote(row.get(2)));
    }
    Set<String> written = new TreeSet<>();
    for (Reason reason : Reason.values()) {
      reason.conditionTypes().forEach(t -> written.add(t.wire() + "/" + reason.wire()));
    }

    assertThat(types)
        .as("condition types, in the order status.conditions[] has them")
        .containsExactlyElementsOf(
            Arrays.stream(ConditionType.values()).map(ConditionType::wire).toList());
    assertThat(documented).as("type/reason pairs").isEqualTo(written);
  }

  @Test
  void theEventsTable_listsEveryEventReason_andNothingElse() {
    List<String> reasons = column(section("## Events"), 0);

    assertThat(reasons)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(Reason.values()).filter(Reason::onEvents).map(Reason::wire).toList());
  }

  /** The text from {@code heading} to the next heading of any level. */
  private String section(String heading) {
    int start = reference.indexOf("\n" + heading + "\n");
    assertThat(start).as("docs/reference.md has %s", heading).isNotNegative();
    int end = reference.indexOf("\n#", start + heading.length() + 2);
    return reference.substring(start, end < 0 ? reference.length() : end);
  }

  /** The cells of a section's table rows, without the header and separator rows. */
  private static List<List<String>> rows(String section) {
    List<List<String>> rows =
        section
            .lines()
            .filter(line -> line.startsWith("|"))
            .skip(2)
            .map(
                line ->
                    Arrays.stream(line.substring(1, line.length() - 1).split("\\|", -1))
                        .map(String::strip)
                        .toList())
            .toList();
    assertThat(rows).isNotEmpty();
    return rows;
  }

  private static List<String> column(String section, int column) {
    return rows(section).stream().map(row -> unquote(row.get(column))).toList();
  }

  /** {@code `Name`} to {@code Name}; a cell that is not one quoted name fails. */
  private static String unquote(String cell) {
    assertThat(cell).matches("`[A-Za-z]+`");
    return cell.substring(1, cell.length() - 1);
  }

  /** The names not written as {@code `name`} in docs/reference.md. */
  private List<String> undocumented(List<String> names) {
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
