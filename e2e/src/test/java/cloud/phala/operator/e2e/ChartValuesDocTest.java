package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/install.md's values table lists exactly the keys of the chart's values.yaml. */
class ChartValuesDocTest {
  private static final Pattern ROW = Pattern.compile("(?m)^\\| `([A-Za-z.]+)` \\|");

  @Test
  void everyValueIsDocumented_andEveryDocumentedKeyExists() throws IOException {
    JsonNode values =
        new ObjectMapper(new YAMLFactory()).readTree(Chart.DIR.resolve("values.yaml").toFile());
    List<String> leaves = new ArrayList<>();
    collectLeaves("", values, leaves);
    List<String> documented = new ArrayList<>();
    Matcher row = ROW.matcher(Files.readString(Path.of("..", "docs", "install.md")));
    while (row.find()) {
      documented.add(row.group(1));
    }

    assertThat(documented).doesNotHaveDuplicates();
    for (String leaf : leaves) {
      assertThat(documented)
          .as("docs/install.md documents %s", leaf)
          .anyMatch(key -> leaf.equals(key) || leaf.startsWith(key + "."));
    }
    for (String key : documented) {
      assertThat(leaves)
          .as("values.yaml has %s", key)
          .anyMatch(leaf -> leaf.equals(key) || leaf.startsWith(key + "."));
    }
  }

  private static void collectLeaves(String prefix, JsonNode node, List<String> leaves) {
    if (!node.isObject() || node.isEmpty()) {
      leaves.add(prefix);
      return;
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      collectLeaves(
          prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(),
          field.getValue(),
          leaves);
    }
  }
}
