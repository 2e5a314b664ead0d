package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.app.OperatorRuntime;
import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.crd.ContentSource;
import cloud.phala.operator.crd.EnvVarSource;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.SecretKeySelector;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.SimulatorConfig;
import cloud.phala.operator.testsupport.AuditLog;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.ServiceAccountClients;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code helm install} into the real API server, then the operator run exactly as the chart's pod
 * would (no kubelet here): with the chart's ServiceAccount token, RBAC and environment. It must be
 * able to do its whole job with those permissions.
 */
@KubeApiTest
class InstalledOperatorE2E {

  @Test
  void withTheChartsServiceAccountRbacAndEnv_theOperatorDeploysRotatesAndDeletesAnApp(
      KubernetesClient admin, KubeApiServerHandle server, TestNamespace ns) {
    List<String> install =
        new ArrayList<>(
            List.of(
                "install",
                "phala",
                Chart.DIR.toString(),
                "--kubeconfig",
                server.kubeConfigFile().toString(),
                "--namespace",
                ns.name()));
    for (String value : values(ns)) {
      install.addAll(List.of("--set", value));
    }
    Chart.helm(install.toArray(String[]::new)).requireSuccess();
    try (PhalaSimulator simulator =
            PhalaSimulator.start(
                SimulatorConfig.defaults()
                    .withBootTime(Duration.ofMillis(300))
                    .withShutdownTime(Duration.ofMillis(100)));
        KubernetesClient asOperator =
            new ServiceAccountClients(server, admin).clientFor(ns.name(), "phala-phala-operator");
        OperatorRuntime operator =
            OperatorRuntime.start(configFromChart(admin, ns, simulator), asOperator)) {
      secret(admin, ns, "phala-api", Map.of("apiKey", simulator.apiKey()));
      secret(admin, ns, "db", Map.of("url", "postgres://installed"));
      admin.resource(app(ns)).create();

      PhalaApp ready = awaitReady(admin, ns, null);
      secret(admin, ns, "db", Map.of("url", "postgres://installed-2"));
      PhalaApp rotated = awaitReady(admin, ns, ready.getStatus().envRevision);

      assertThat(rotated.getStatus().conditions)
          .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
      assertThat(simulator.world().get(rotated.getStatus().cvms.get(0).cvmId).bootedEnv())
          .anyMatch(
              e -> e.key().equals("DATABASE_URL") && e.value().equals("postgres://installed-2"));
      assertThat(admin.v1().events().inNamespace(ns.name()).list().getItems())
          .anyMatch(e -> "Created".equals(e.getReason()));

      admin.resources(PhalaApp.class).inNamespace(ns.name()).withName("installed").delete();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  admin.resources(PhalaApp.class).inNamespace(ns.name()).withName("installed").get()
                      == null);
      assertThat(simulator.world().list()).isEmpty();
      assertTheChartGrantsExactlyWhatTheOperatorUsed(server, ns);
    }
  }

  private static String[] values(TestNamespace ns) {
    return new String[] {
      "watchNamespaces={" + ns.name() + "}",
      "phala.defaultCredentials.secretName=phala-api",
      "phala.defaultCredentials.namespaces={" + ns.name() + "}"
    };
  }

  /**
   * Every request the operator made was allowed, and every verb the chart grants was used: removing
   * any one of them would deny a request the operator makes, so the RBAC is not wider than needed.
   */
  private static void assertTheChartGrantsExactlyWhatTheOperatorUsed(
      KubeApiServerHandle server, TestNamespace ns) {
    Set<String> granted = new TreeSet<>();
    for (HasMetadata object : Chart.parse(Chart.template(ns.name(), values(ns)))) {
      List<PolicyRule> rules =
          object instanceof Role role
              ? role.getRules()
              : object instanceof ClusterRole clusterRole ? clusterRole.getRules() : List.of();
      for (PolicyRule rule : rules) {
        for (String group : rule.getApiGroups()) {
          for (String resource : rule.getResources()) {
            for (String verb : rule.getVerbs()) {
              granted.add(group + "/" + resource + ":" + verb);
            }
          }
        }
      }
    }
    if (server.auditLog().isEmpty()) {
      System.err.println("WARNING: this API server backend keeps no audit log; RBAC not checked");
      return;
    }
    AuditLog audit = server.auditLog().get();

    List<AuditLog.Request> requests =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> audit.requestsBy(ns.name(), "phala-phala-operator"),
                made -> used(made).containsAll(granted));
    assertThat(requests).noneMatch(r -> r.responseCode() == 403);
    assertThat(used(requests)).containsExactlyInAnyOrderElementsOf(granted);
  }

  private static Set<String> used(List<AuditLog.Request> requests) {
    return requests.stream()
        .filter(r -> r.responseCode() < 400 || r.responseCode() == 404 || r.responseCode() == 409)
        .map(r -> r.apiGroup() + "/" + r.resource() + ":" + r.verb())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The environment the chart gives the pod, pointed at the simulator, metrics on a free port. */
  private static OperatorConfig configFromChart(
      KubernetesClient admin, TestNamespace ns, PhalaSimulator simulator) {
    Deployment deployment =
        admin.apps().deployments().inNamespace(ns.name()).withName("phala-phala-operator").get();
    Map<String, String> env = new HashMap<>();
    for (EnvVar var :
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      }
    }
    env.put("PHALA_API_URL", simulator.baseUrl());
    env.put("HTTP_PORT", "0");
    env.put("PROGRESS_POLL", "0.3s");
    return OperatorConfig.fromEnvironment(env);
  }

  private static PhalaApp awaitReady(KubernetesClient admin, TestNamespace ns, String notRevision) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                admin.resources(PhalaApp.class).inNamespace(ns.name()).withName("installed").get(),
            a ->
                a != null
                    && a.getStatus() != null
                    && "1/1".equals(a.getStatus().ready)
                    && !a.getStatus().envRevision.equals(notRevision));
  }

  private static void secret(
      KubernetesClient admin, TestNamespace ns, String name, Map<String, String> data) {
    admin
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns.name())
                .endMetadata()
                .withStringData(data)
                .build())
        .serverSideApply();
  }

  private static PhalaApp app(TestNamespace ns) {
    PhalaApp app = new PhalaApp();
    app.getMetadata().setName("installed");
    app.getMetadata().setNamespace(ns.name());
    PhalaAppSpec spec = new PhalaAppSpec();
    spec.replicas = 1;
    spec.compose = new ContentSource();
    spec.compose.inline =
        "services:\n  a:\n    environment:\n      - DATABASE_URL=${DATABASE_URL}\n";
    EnvVarSource db = new EnvVarSource();
    db.name = "DATABASE_URL";
    db.valueFrom = new EnvVarSource.ValueFrom();
    db.valueFrom.secretKeyRef = new SecretKeySelector();
    db.valueFrom.secretKeyRef.name = "db";
    db.valueFrom.secretKeyRef.key = "url";
    spec.env = List.of(db);
    app.setSpec(spec);
    return app;
  }
}
