package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.testsupport.Command;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The chart lints, renders what it promises, refuses bad values, and the API server takes it. */
@KubeApiTest
class HelmChartIT {

  private static Map<String, Long> kinds(List<HasMetadata> objects) {
    return objects.stream()
        .collect(Collectors.groupingBy(HasMetadata::getKind, Collectors.counting()));
  }

  private static Deployment deployment(List<HasMetadata> objects) {
    return (Deployment)
        objects.stream().filter(o -> o instanceof Deployment).findFirst().orElseThrow();
  }

  private static Map<String, String> env(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  @Test
  void theChart_lints() {
    assertThat(Chart.helm("lint", Chart.DIR.toString()).requireSuccess().output())
        .contains("0 chart(s) failed");
  }

  @Test
  void byDefault_itRendersClusterWideRbacAndARestrictedDeployment() {
    List<HasMetadata> objects = Chart.parse(Chart.template("phala-system"));

    assertThat(kinds(objects))
        .containsEntry("ServiceAccount", 1L)
        .containsEntry("ClusterRole", 1L)
        .containsEntry("ClusterRoleBinding", 1L)
        .containsEntry("Role", 1L)
        .containsEntry("Deployment", 1L)
        .containsEntry("Service", 1L)
        .doesNotContainKey("PodDisruptionBudget");
    Deployment deployment = deployment(objects);
    var pod = deployment.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(env(deployment))
        .containsEntry("LEADER_ELECTION", "false")
        .containsEntry("OPERATOR_NAMESPACE", "phala-system")
        .containsEntry("LOG_FORMAT", "json")
        .doesNotContainKey("PHALA_DEFAULT_CREDENTIALS");
  }

  @Test
  void twoReplicas_electALeaderAndGetADisruptionBudget_credentialsAndNamespacesReachTheOperator() {
    List<HasMetadata> objects =
        Chart.parse(
            Chart.template(
                "ops",
                "replicaCount=2",
                "phala.defaultCredentials.secretName=phala-api",
                "phala.defaultCredentials.namespaces={team-a}",
                "watchNamespaces={team-a,team-b}"));

    assertThat(kinds(objects))
        .containsEntry("PodDisruptionBudget", 1L)
        .containsEntry("Role", 3L)
        .containsEntry("RoleBinding", 3L)
        .doesNotContainKey("ClusterRole");
    assertThat(Chart.template("ops", "replicaCount=2")).contains("coordination.k8s.io");
    assertThat(Chart.template("ops")).doesNotContain("coordination.k8s.io");
    assertThat(env(deployment(objects)))
        .containsEntry("LEADER_ELECTION", "true")
        .containsEntry("PHALA_DEFAULT_CREDENTIALS", "ops/phala-api/apiKey")
        .containsEntry("PHALA_DEFAULT_CREDENTIALS_NAMESPACES", "team-a")
        .containsEntry("WATCH_NAMESPACES", "team-a,team-b");
  }

  @Test
  void theValuesSchema_refusesUnknownKeysAndWrongTypes() {
    Command.Result unknown =
        Chart.helm("template", "phala", Chart.DIR.toString(), "--set", "nope=1");
    Command.Result wrongType =
        Chart.helm("template", "phala", Chart.DIR.toString(), "--set", "replicaCount=two");

    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.output()).contains("additional properties 'nope' not allowed");
    assertThat(wrongType.exitCode()).isNotZero();
    assertThat(wrongType.output()).contains("replicaCount");
  }

  @Test
  void theChartsCrd_isTheCommittedCrd() throws Exception {
    assertThat(Files.readString(Chart.DIR.resolve("crds").resolve("phalaapps.phala.cloud-v1.yml")))
        .isEqualTo(Files.readString(Path.of("..", "crds", "phalaapps.phala.cloud-v1.yml")));
  }

  @Test
  void theRenderedManifests_areAcceptedByTheApiServer(
      KubernetesClient client, KubeApiServerHandle server) throws Exception {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("chart-dry-run")
                .endMetadata()
                .build())
        .serverSideApply();
    Path rendered = Files.createTempFile("phala-chart-", ".yaml");
    Files.writeString(rendered, Chart.template("chart-dry-run", "replicaCount=2"));

    Command.Result applied =
        Command.run(
            server.binaries().kubectl().toString(),
            "--kubeconfig",
            server.kubeConfigFile().toString(),
            "apply",
            "--dry-run=server",
            "-f",
            rendered.toString());

    assertThat(applied.exitCode()).as(applied.output()).isZero();
    assertThat(applied.output())
        .contains("deployment.apps/phala-phala-operator created (server dry run)");
  }
}
