package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.app.web.AppMetrics;
import cloud.phala.operator.testsupport.Command;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The chart lints, renders what it promises, refuses bad values, and the API server takes it. */
@KubeApiTest
class HelmChartIT {
  /** {@code Degraded condition}, {@code RolloutHalted Events} in an alert's annotations. */
  private static final Pattern POINTER = Pattern.compile("\\b([A-Z]\\w+) (condition|Events?)\\b");

  private static Map<String, Long> kinds(List<HasMetadata> objects) {
    return objects.stream()
        .collect(Collectors.groupingBy(HasMetadata::getKind, Collectors.counting()));
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
        .doesNotContainKeys(
            "PodDisruptionBudget", "NetworkPolicy", "ServiceMonitor", "PrometheusRule");
    Deployment deployment = only(Deployment.class, objects);
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
  void theDeployment_runsTheImagesEntrypoint_asItsUser_withAWritableTmpdir() {
    OperatorImage image = OperatorImage.read();
    var pod = only(Deployment.class, Chart.parse(Chart.template("phala-system"))).getSpec();
    var spec = pod.getTemplate().getSpec();
    var container = spec.getContainers().get(0);

    assertThat(container.getCommand()).as("the image's entrypoint is left alone").isEmpty();
    assertThat(container.getArgs()).isEmpty();
    assertThat(container.getEnv())
        .extracting(EnvVar::getName)
        .as("the JVM flags are the image's; no second copy to drift")
        .doesNotContain("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "JAVA_OPTS");
    assertThat(spec.getSecurityContext().getRunAsUser()).isEqualTo(image.uid());
    assertThat(spec.getSecurityContext().getRunAsGroup()).isEqualTo(image.gid());
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    var tmp =
        container.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals(image.tmpdir()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("nothing mounted on " + image.tmpdir()));
    assertThat(spec.getVolumes())
        .anyMatch(v -> v.getName().equals(tmp.getName()) && v.getEmptyDir() != null);
    assertThat(container.getPorts().get(0).getContainerPort())
        .isEqualTo(Integer.parseInt(image.config("container", "ports", "port").orElseThrow()));
  }

  @Test
  void shardingReplicas_runAStatefulSetWhosePodOrdinalIsTheShard_eachLeadingItsOwnLease() {
    List<HasMetadata> objects = Chart.parse(Chart.template("ops", "sharding.replicas=3"));

    assertThat(kinds(objects)).containsEntry("StatefulSet", 1L).doesNotContainKey("Deployment");
    io.fabric8.kubernetes.api.model.apps.StatefulSet shards =
        only(io.fabric8.kubernetes.api.model.apps.StatefulSet.class, objects);
    assertThat(shards.getSpec().getReplicas()).isEqualTo(3);
    Map<String, String> env =
        shards.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .filter(e -> e.getValue() != null)
            .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertThat(env).containsEntry("SHARD_COUNT", "3").containsEntry("LEADER_ELECTION", "true");
    assertThat(shards.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .as("the shard comes from the pod name's ordinal")
        .anySatisfy(e -> assertThat(e.getName()).isEqualTo("POD_NAME"));
    assertThat(Chart.template("ops", "sharding.replicas=3")).contains("coordination.k8s.io");
    assertThat(kinds(Chart.parse(Chart.template("ops", "sharding.replicas=1"))))
        .containsEntry("Deployment", 1L)
        .doesNotContainKey("StatefulSet");
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
    assertThat(env(only(Deployment.class, objects)))
        .containsEntry("LEADER_ELECTION", "true")
        .containsEntry("PHALA_DEFAULT_CREDENTIALS", "ops/phala-api/apiKey")
        .containsEntry("PHALA_DEFAULT_CREDENTIALS_NAMESPACES", "team-a")
        .containsEntry("WATCH_NAMESPACES", "team-a,team-b");
  }

  @Test
  void throughputValues_reachTheOperatorAsItsSettings_andOutOfRangeValuesAreRefused() {
    assertThat(env(only(Deployment.class, Chart.parse(Chart.template("ops")))))
        .containsEntry("RECONCILE_THREADS", "50")
        .containsEntry("PASS_ORDER", "arrival")
        .doesNotContainKeys("KUBE_CLIENT_QPS", "KUBE_CLIENT_BURST");
    assertThat(
            env(
                only(
                    Deployment.class,
                    Chart.parse(
                        Chart.template(
                            "ops",
                            "throughput.reconcileThreads=200",
                            "throughput.passOrder=rollouts-first",
                            "throughput.kubeClientQps=50",
                            "throughput.kubeClientBurst=80")))))
        .containsEntry("RECONCILE_THREADS", "200")
        .containsEntry("PASS_ORDER", "rollouts-first")
        .containsEntry("KUBE_CLIENT_QPS", "50")
        .containsEntry("KUBE_CLIENT_BURST", "80");
    assertThat(
            env(
                only(
                    Deployment.class,
                    Chart.parse(Chart.template("ops", "throughput.kubeClientQps=0.5")))))
        .as("the burst left to the operator's default")
        .containsEntry("KUBE_CLIENT_QPS", "0.5")
        .doesNotContainKey("KUBE_CLIENT_BURST");

    Command.Result none =
        Chart.helm(
            "template", "phala", Chart.DIR.toString(), "--set", "throughput.reconcileThreads=0");
    Command.Result unknownOrder =
        Chart.helm("template", "phala", Chart.DIR.toString(), "--set", "throughput.passOrder=fifo");
    Command.Result negative =
        Chart.helm(
            "template", "phala", Chart.DIR.toString(), "--set", "throughput.kubeClientQps=-1");
    assertThat(none.exitCode()).isNotZero();
    assertThat(none.output()).contains("reconcileThreads");
    assertThat(unknownOrder.exitCode()).isNotZero();
    assertThat(unknownOrder.output()).contains("passOrder");
    assertThat(negative.exitCode()).isNotZero();
    assertThat(negative.output()).contains("kubeClientQps");
  }

  @Test
  void theDstackVerifierUrl_reachesTheOperatorOnlyWhenSet_andANonHttpUrlIsRefused() {
    assertThat(env(only(Deployment.class, Chart.parse(Chart.template("ops")))))
        .doesNotContainKey("DSTACK_VERIFIER_URL");
    assertThat(
            env(
                only(
                    Deployment.class,
                    Chart.parse(
                        Chart.template(
                            "ops",
                            "attestation.dstackVerifierUrl=http://dstack-verifier.attest.svc:8080")))))
        .containsEntry("DSTACK_VERIFIER_URL", "http://dstack-verifier.attest.svc:8080");

    for (String bad :
        List.of("dstack-verifier:8080", "file:///etc/passwd", "http://user@verifier:8080")) {
      Command.Result refused =
          Chart.helm(
              "template",
              "phala",
              Chart.DIR.toString(),
              "--set",
              "attestation.dstackVerifierUrl=" + bad);
      assertThat(refused.exitCode()).as(bad).isNotZero();
      assertThat(refused.output()).contains("dstackVerifierUrl");
    }
  }

  /** Secrets are read-only wherever tenants keep theirs, cluster-wide or namespaced. */
  @Test
  void watchedNamespaces_getReadOnlySecretRules_inBothModes() {
    List<PolicyRule> watched = new ArrayList<>();
    for (HasMetadata object : Chart.parse(Chart.template("ops"))) {
      if (object instanceof ClusterRole role) {
        watched.addAll(secretRules(role.getRules()));
      }
    }
    for (HasMetadata object :
        Chart.parse(Chart.template("ops", "watchNamespaces={team-a,team-b}"))) {
      if (object instanceof Role role && !role.getMetadata().getNamespace().equals("ops")) {
        watched.addAll(secretRules(role.getRules()));
      }
    }

    assertThat(watched).isNotEmpty();
    assertThat(watched)
        .flatExtracting(PolicyRule::getVerbs)
        .as("verbs on Secrets in watched namespaces")
        .containsOnly("get", "list", "watch");
  }

  /**
   * In its own namespace the operator reads only the Secrets it names (its revision key, the copies
   * of apps' API keys, the default credentials): not the Helm release or anything else kept there.
   */
  @Test
  void theReleaseNamespace_grantsSecretReadsAndUpdatesOnlyByName() {
    List<PolicyRule> own = new ArrayList<>();
    for (HasMetadata object :
        Chart.parse(Chart.template("ops", "phala.defaultCredentials.secretName=phala-api"))) {
      if (object instanceof Role role && role.getMetadata().getNamespace().equals("ops")) {
        own.addAll(secretRules(role.getRules()));
      }
    }

    assertThat(own).isNotEmpty();
    assertThat(own)
        .filteredOn(r -> r.getResourceNames() == null || r.getResourceNames().isEmpty())
        .as("Secret rules without resourceNames")
        .flatExtracting(PolicyRule::getVerbs)
        .containsOnly("create");
    assertThat(own)
        .flatExtracting(PolicyRule::getResourceNames)
        .containsOnly("phala-operator-revision-key", "phala-operator-api-keys", "phala-api");
  }

  private static List<PolicyRule> secretRules(List<PolicyRule> rules) {
    return rules.stream()
        .filter(r -> r.getApiGroups().contains("") && r.getResources().contains("secrets"))
        .toList();
  }

  @Test
  void theNetworkPolicy_allowsEgressOnlyToDnsTheApiServerAndPhalaCloud_andIngressOnlyToMetrics() {
    NetworkPolicy policy =
        only(
            NetworkPolicy.class,
            Chart.parse(
                Chart.template(
                    "ops",
                    "networkPolicy.enabled=true",
                    "networkPolicy.apiServer.cidrs={10.96.0.1/32,172.18.0.2/32}",
                    "networkPolicy.phalaCloud.cidrs={203.0.113.0/24}")));

    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/name", "phala-operator");
    assertThat(policy.getSpec().getIngress()).hasSize(1);
    assertThat(policy.getSpec().getIngress().get(0).getPorts().get(0).getPort().getStrVal())
        .isEqualTo("http");
    Map<List<String>, List<Integer>> egress =
        policy.getSpec().getEgress().stream()
            .collect(
                Collectors.toMap(
                    rule -> rule.getTo().stream().map(to -> to.getIpBlock().getCidr()).toList(),
                    rule -> rule.getPorts().stream().map(p -> p.getPort().getIntVal()).toList()));
    assertThat(egress)
        .containsOnly(
            Map.entry(List.of(), List.of(53, 53)),
            Map.entry(List.of("10.96.0.1/32", "172.18.0.2/32"), List.of(443, 6443)),
            Map.entry(List.of("203.0.113.0/24"), List.of(443)));
  }

  @Test
  void theNetworkPolicy_letsTheOperatorReachTheDstackVerifier_onlyWhenItsAddressesAreListed() {
    NetworkPolicy withVerifier =
        only(
            NetworkPolicy.class,
            Chart.parse(
                Chart.template(
                    "ops",
                    "networkPolicy.enabled=true",
                    "networkPolicy.apiServer.cidrs={10.96.0.1/32}",
                    "attestation.dstackVerifierUrl=http://dstack-verifier.attest.svc:8080",
                    "networkPolicy.dstackVerifier.cidrs={10.244.0.0/16}")));

    assertThat(withVerifier.getSpec().getEgress())
        .anySatisfy(
            rule -> {
              assertThat(rule.getTo())
                  .extracting(to -> to.getIpBlock().getCidr())
                  .containsExactly("10.244.0.0/16");
              assertThat(rule.getPorts())
                  .extracting(p -> p.getPort().getIntVal())
                  .containsExactly(8080);
            });
  }

  @Test
  void theNetworkPolicy_withoutTheApiServersAddresses_isRefusedWithTheReason() {
    Command.Result refused =
        Chart.helm(
            "template", "phala", Chart.DIR.toString(), "--set", "networkPolicy.enabled=true");

    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output()).contains("networkPolicy.apiServer.cidrs");
  }

  @Test
  void theServiceMonitor_scrapesTheMetricsService_andTheAlertsUseDocumentedMetrics()
      throws Exception {
    List<HasMetadata> objects =
        Chart.parse(
            Chart.template(
                "ops",
                "metrics.serviceMonitor.enabled=true",
                "metrics.serviceMonitor.labels.release=prometheus",
                "metrics.prometheusRule.enabled=true"));
    Service service = only(Service.class, objects);
    GenericKubernetesResource monitor = byKind("ServiceMonitor", objects);
    GenericKubernetesResource rule = byKind("PrometheusRule", objects);

    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
    assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(selector);
    List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
    assertThat(endpoints.get(0))
        .containsEntry("port", service.getSpec().getPorts().get(0).getName())
        .containsEntry("path", "/metrics");

    List<Map<String, Object>> groups = rule.get("spec", "groups");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> alerts = (List<Map<String, Object>>) groups.get(0).get("rules");
    assertThat(alerts)
        .extracting(alert -> alert.get("alert"))
        .containsExactly(
            "PhalaRolloutFailed",
            "PhalaReplicasUnavailable",
            "PhalaCloudApiErrors",
            "PhalaOperatorReconcileErrors");
    Set<String> documented = OperatorMetrics.documented();
    String metricsDoc = Files.readString(OperatorMetrics.DOC);
    Set<String> phases = new TreeSet<>();
    List<String> pointedAt = new ArrayList<>();
    for (Map<String, Object> alert : alerts) {
      assertThat(metricsDoc).contains("`" + alert.get("alert") + "`");
      String expr = (String) alert.get("expr");
      Set<String> used = Promql.metrics(expr);
      assertThat(used).as("a metric in %s", alert.get("alert")).isNotEmpty();
      assertThat(documented).as("docs/metrics.md documents them").containsAll(used);
      phases.addAll(Promql.labelValues(expr, "phase"));
      pointedAt.addAll(conditionsAndEvents(alert));
    }
    assertThat(phases)
        .as("phase label values the alerts match, all ones phala_app_replicas has")
        .isNotEmpty()
        .isSubsetOf(AppMetrics.PHASES);
    assertThat(pointedAt)
        .as("the conditions and Event reasons the alerts point at")
        .contains(ConditionType.DEGRADED.wire(), Reason.ROLLOUT_HALTED.wire());
  }

  /**
   * The condition types ({@code X condition}) and Event reasons ({@code X Events}) an alert's
   * annotations point people at; each must be one the operator writes.
   */
  private static List<String> conditionsAndEvents(Map<String, Object> alert) {
    List<String> found = new ArrayList<>();
    @SuppressWarnings("unchecked")
    Map<String, Object> annotations = (Map<String, Object>) alert.get("annotations");
    for (Object text : annotations.values()) {
      Matcher named = POINTER.matcher(String.valueOf(text));
      while (named.find()) {
        String name = named.group(1);
        if (named.group(2).equals("condition")) {
          assertThat(Arrays.stream(ConditionType.values()).map(ConditionType::wire))
              .as("%s names condition %s", alert.get("alert"), name)
              .contains(name);
        } else {
          assertThat(Arrays.stream(Reason.values()).filter(Reason::onEvents).map(Reason::wire))
              .as("%s names Event reason %s", alert.get("alert"), name)
              .contains(name);
        }
        found.add(name);
      }
    }
    return found;
  }

  @Test
  void theGrafanaDashboard_isAConfigMapForGrafanasSidecar_onlyWhenEnabled() throws Exception {
    assertThat(Chart.parse(Chart.template("ops"))).noneMatch(o -> o instanceof ConfigMap);

    ConfigMap dashboard =
        only(
            ConfigMap.class,
            Chart.parse(
                Chart.template(
                    "ops", "grafanaDashboard.enabled=true", "grafanaDashboard.labels.team=obs")));

    assertThat(dashboard.getMetadata().getLabels())
        .containsEntry("grafana_dashboard", "1")
        .containsEntry("team", "obs");
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(dashboard.getData().get("phala-operator.json")))
        .isEqualTo(json.readTree(GrafanaDashboardTest.DASHBOARD.toFile()));
  }

  private static <T> T only(Class<T> type, List<HasMetadata> objects) {
    List<T> matching = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matching).hasSize(1);
    return matching.get(0);
  }

  private static GenericKubernetesResource byKind(String kind, List<HasMetadata> objects) {
    return (GenericKubernetesResource)
        objects.stream().filter(o -> kind.equals(o.getKind())).findFirst().orElseThrow();
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
    Files.writeString(
        rendered,
        Chart.template(
            "chart-dry-run",
            "replicaCount=2",
            "networkPolicy.enabled=true",
            "networkPolicy.apiServer.cidrs={10.96.0.1/32}",
            "grafanaDashboard.enabled=true"));

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
        .contains("deployment.apps/phala-phala-operator created (server dry run)")
        .contains("networkpolicy.networking.k8s.io/phala-phala-operator created (server dry run)")
        .contains("configmap/phala-phala-operator-dashboard created (server dry run)");
  }
}
