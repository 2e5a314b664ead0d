package cloud.phala.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.simulator.hooks.FaultRule;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docs/simulator.md must list exactly the OpenAPI operations the simulator does not serve, and
 * every fault kind it injects.
 */
class SimulatorDocsTest {
  private static final Path DOC = Path.of("..", "docs", "simulator.md");

  @Test
  void theDocsListOfLeftOutPaths_matchesWhatTheSimulatorServes() throws IOException {
    Set<String> served;
    try (PhalaSimulator simulator = PhalaSimulator.start(SimulatorConfig.defaults())) {
      served = new HashSet<>(simulator.routes());
    }
    List<String> leftOut = new ArrayList<>();
    JsonNode paths = openApi().get("paths");
    paths
        .fieldNames()
        .forEachRemaining(
            path ->
                paths
                    .get(path)
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          String op = method.toUpperCase(Locale.ROOT) + " " + path;
                          if (List.of("get", "post", "patch", "put", "delete").contains(method)
                              && !served.contains(op)) {
                            leftOut.add(op);
                          }
                        }));

    assertThat(documentedLeftOut()).containsExactlyInAnyOrderElementsOf(leftOut);
  }

  @Test
  void theDocsListOfFaultKinds_namesEveryKindTheFaultApiTakes() throws IOException {
    String doc = Files.readString(DOC);
    String paragraph = doc.substring(doc.indexOf("Fault kinds:"));
    String kinds = paragraph.substring(0, paragraph.indexOf("\n\n"));

    for (FaultRule.Kind kind : FaultRule.Kind.values()) {
      assertThat(kinds).contains("`" + kind.name().toLowerCase(Locale.ROOT) + "`");
    }
  }

  private static List<String> documentedLeftOut() throws IOException {
    String doc = Files.readString(DOC);
    String block =
        doc.substring(
            doc.indexOf("<!-- simulator-unimplemented:start -->"),
            doc.indexOf("<!-- simulator-unimplemented:end -->"));
    return block.lines().filter(l -> l.matches("(GET|POST|PATCH|PUT|DELETE) /api/v1/.*")).toList();
  }

  private static JsonNode openApi() throws IOException {
    try (InputStream in =
        SimulatorDocsTest.class.getResourceAsStream("/phala-cloud-openapi.json")) {
      return SimClient.JSON.readTree(in);
    }
  }
}
