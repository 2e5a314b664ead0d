package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.web.ApiMetrics;
import cloud.phala.operator.app.web.AppMetrics;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every metric the operator's own code registers, with one observation each and scraped as
 * Prometheus sees it, is in docs/metrics.md, and every {@code phala_*} metric documented there
 * exists.
 */
class MetricsDocTest {

  @Test
  void theOperatorsMetrics_areExactlyTheDocumentedPhalaMetrics() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ApiMetrics(registry).observed("PATCH /cvms/{cvm_id}/envs", 200, Duration.ofMillis(120));
    PhalaApp app = new PhalaApp();
    app.setMetadata(new ObjectMetaBuilder().withNamespace("team-a").withName("api").build());
    new AppMetrics(registry).observed(app, status(true, "running"), status(false, "running"));
    cloud.phala.operator.app.pace.PassExecutor.forReconciles(1, false, registry).shutdown();

    Set<String> exported = OperatorMetrics.families(registry.scrape());
    Set<String> documented = OperatorMetrics.documented();

    assertThat(exported)
        .contains(
            "phala_api_requests_seconds",
            "phala_app_replicas",
            "phala_rollouts_total",
            "phala_passes_queued_total");
    assertThat(documented.stream().filter(name -> name.startsWith("phala_")))
        .containsExactlyInAnyOrderElementsOf(exported);
    assertThat(registry.scrape())
        .as("the API timer has buckets, for the dashboard's p99")
        .contains("phala_api_requests_seconds_bucket{");
  }

  @Test
  void theDocumentsPromqlExamples_useOnlyDocumentedMetrics() throws Exception {
    Set<String> documented = OperatorMetrics.documented();
    String doc = java.nio.file.Files.readString(OperatorMetrics.DOC);

    assertThat(documented).hasSizeGreaterThan(10);
    assertThat(Promql.metrics(doc.substring(doc.indexOf("```promql"))))
        .isNotEmpty()
        .allSatisfy(name -> assertThat(documented).contains(name));
  }

  private static PhalaAppStatus status(boolean progressing, String phase) {
    PhalaAppStatus status = new PhalaAppStatus();
    PhalaAppStatus.CvmStatus cvm = new PhalaAppStatus.CvmStatus();
    cvm.phase = phase;
    status.cvms = List.of(cvm);
    status.conditions =
        List.of(
            new ConditionBuilder()
                .withType("Progressing")
                .withStatus(progressing ? "True" : "False")
                .build());
    return status;
  }
}
