package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/grafana/phala-operator.json: a dashboard whose every query uses documented metrics. */
class GrafanaDashboardTest {
  static final Path DASHBOARD = Path.of("..", "docs", "grafana", "phala-operator.json");
  private final JsonNode dashboard = read();

  private static JsonNode read() {
    try {
      return new ObjectMapper().readTree(DASHBOARD.toFile());
    } catch (Exception e) {
      throw new AssertionError("docs/grafana/phala-operator.json is not JSON", e);
    }
  }

  private List<JsonNode> panels() {
    List<JsonNode> panels = new ArrayList<>();
    dashboard.get("panels").forEach(panels::add);
    return panels;
  }

  @Test
  void itIsADashboard_withAPrometheusDatasourceVariable() {
    assertThat(dashboard.get("uid").asText()).isEqualTo("phala-operator");
    assertThat(dashboard.get("title").asText()).isNotBlank();
    assertThat(dashboard.get("schemaVersion").asInt()).isBetween(36, 41);
    assertThat(dashboard.at("/templating/list"))
        .anySatisfy(
            variable -> {
              assertThat(variable.get("name").asText()).isEqualTo("datasource");
              assertThat(variable.get("type").asText()).isEqualTo("datasource");
              assertThat(variable.get("query").asText()).isEqualTo("prometheus");
            });
  }

  @Test
  void everyPanel_hasATitleAndATarget_andQueriesTheDatasourceVariable() {
    assertThat(panels()).hasSizeGreaterThanOrEqualTo(8);
    assertThat(panels().stream().map(p -> p.get("id").asInt())).doesNotHaveDuplicates();
    for (JsonNode panel : panels()) {
      String title = panel.path("title").asText();
      assertThat(title).isNotBlank();
      assertThat(panel.at("/datasource/uid").asText()).as(title).isEqualTo("${datasource}");
      assertThat(panel.at("/datasource/type").asText()).as(title).isEqualTo("prometheus");
      assertThat(panel.get("gridPos")).as(title).isNotNull();
      assertThat(panel.get("targets")).as("%s has a target", title).isNotEmpty();
      for (JsonNode target : panel.get("targets")) {
        String expr = target.path("expr").asText();
        assertThat(expr).as(title).isNotBlank();
        assertThat(expr.chars().filter(c -> c == '(').count())
            .as("%s: balanced parentheses", title)
            .isEqualTo(expr.chars().filter(c -> c == ')').count());
        assertThat(target.at("/datasource/uid").asText()).as(title).isEqualTo("${datasource}");
      }
    }
  }

  @Test
  void everyMetricAQueryUses_isDocumentedInMetricsMd() throws Exception {
    Set<String> used = new TreeSet<>();
    for (JsonNode panel : panels()) {
      for (JsonNode target : panel.get("targets")) {
        Set<String> metrics = Promql.metrics(target.get("expr").asText());
        assertThat(metrics).as("a metric in %s", panel.get("title")).isNotEmpty();
        used.addAll(metrics);
      }
    }

    assertThat(OperatorMetrics.documented()).containsAll(used);
    assertThat(used)
        .contains(
            "phala_rollouts_total",
            "phala_app_replicas",
            "phala_api_requests_seconds",
            "operator_sdk_reconciliations_started_total",
            "operator_sdk_reconciliations_failed_total");
  }

  @Test
  void theChartShipsTheSameFile() throws Exception {
    assertThat(Files.readString(Chart.DIR.resolve("dashboards").resolve("phala-operator.json")))
        .as("helm/phala-operator/dashboards/ is a copy of docs/grafana/phala-operator.json")
        .isEqualTo(Files.readString(DASHBOARD));
  }
}
