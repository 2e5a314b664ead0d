package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.app.OperatorRuntime;
import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.crd.ContentSource;
import cloud.phala.operator.crd.EnvVarSource;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.Rollout;
import cloud.phala.operator.crd.SecretKeySelector;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.testsupport.AuditLog;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.ServiceAccountClients;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code helm install} into the real API server, then the operator run exactly as the chart's pod
 * would (no kubelet here): with the chart's ServiceAccount token, RBAC and environment. The release
 * lives in its own namespace and watches the test's namespace, as in a real install.
 */
@KubeApiTest
class InstalledOperatorE2E {

  /** A Helm release of the chart: its namespace, and the one namespace it watches. */
  private record Release(String name, String namespace, String watched, int replicaCount) {
    static Release of(
        String name, TestNamespace watched, int replicaCount, KubernetesClient admin) {
      String namespace = watched.name() + "-" + name;
      admin
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .serverSideApply();
      return new Release(name, namespace, watched.name(), replicaCount);
    }

    String serviceAccount() {
      return name + "-phala-operator";
    }

    String[] values(String... extra) {
      List<String> values =
          new ArrayList<>(
              List.of(
                  "watchNamespaces={" + watched + "}",
                  "phala.defaultCredentials.secretName=phala-api",
                  "phala.defaultCredentials.namespaces={" + watched + "}",
                  "replicaCount=" + replicaCount));
      values.addAll(List.of(extra));
      return values.toArray(String[]::new);
    }

    void helm(KubeApiServerHandle server, String command, String... extraValues) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  command,
                  name,
                  "--kubeconfig",
                  server.kubeConfigFile().toString(),
                  "--namespace",
                  namespace));
      if (!command.equals("uninstall")) {
        args.add(2, Chart.DIR.toString());
        for (String value : values(extraValues)) {
          args.addAll(List.of("--set", value));
        }
      }
      Chart.helm(args.toArray(String[]::new)).requireSuccess();
    }

    OperatorRuntime startOperator(
        KubernetesClient admin, KubeApiServerHandle server, PhalaSimulator simulator) {
      KubernetesClient asOperator =
          new ServiceAccountClients(server, admin).clientFor(namespace, serviceAccount());
      return OperatorRuntime.start(configFromChart(admin, this, simulator), asOperator);
    }
  }

  @Test
  void withTheChartsServiceAccountRbacAndEnv_aLeaderElectedOperatorDeploysRotatesAndDeletesAnApp(
      KubernetesClient admin, KubeApiServerHandle server, TestNamespace ns) {
    Release release = Release.of("phala", ns, 2, admin);
    release.helm(server, "install");
    try (PhalaSimulator simulator = Fixtures.fastSimulator();
        OperatorRuntime operator = release.startOperator(admin, server, simulator)) {
      Fixtures.secret(
          admin, release.namespace(), "phala-api", Map.of("apiKey", simulator.apiKey()));
      Fixtures.secret(admin, ns.name(), "db", Map.of("url", "postgres://installed"));
      admin.resource(app(ns, "installed")).create();

      PhalaApp ready = Fixtures.awaitReady(admin, ns.name(), "installed", 1, null);
      Fixtures.secret(admin, ns.name(), "db", Map.of("url", "postgres://installed-2"));
      PhalaApp rotated =
          Fixtures.awaitReady(admin, ns.name(), "installed", 1, ready.getStatus().envRevision);

      assertThat(rotated.getStatus().conditions)
          .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
      assertThat(Fixtures.booted(simulator, rotated.getStatus().cvms.get(0).cvmId))
          .containsEntry("DATABASE_URL", "postgres://installed-2");
      assertThat(admin.v1().events().inNamespace(ns.name()).list().getItems())
          .anyMatch(e -> "Created".equals(e.getReason()));

      replaceAndAdopt(admin, release, ns, "installed", simulator);

      admin.resource(app(ns, "installed")).delete();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Fixtures.get(admin, ns.name(), "installed") == null);
      assertThat(simulator.world().list()).isEmpty();
      assertTheChartGrantsExactlyWhatTheOperatorUsed(server, release);
    }
  }

  @Test
  void helmUpgrade_keepsTheAppRunning_andHelmUninstall_keepsTheCrdTheAppAndItsCvm(
      KubernetesClient admin, KubeApiServerHandle server, TestNamespace ns) {
    Release release = Release.of("keep", ns, 1, admin);
    release.helm(server, "install");
    try (PhalaSimulator simulator = Fixtures.fastSimulator()) {
      Fixtures.secret(
          admin, release.namespace(), "phala-api", Map.of("apiKey", simulator.apiKey()));
      Fixtures.secret(admin, ns.name(), "db", Map.of("url", "postgres://kept"));
      List<String> cvms;
      try (OperatorRuntime operator = release.startOperator(admin, server, simulator)) {
        admin.resource(app(ns, "kept")).create();
        PhalaApp ready = Fixtures.awaitReady(admin, ns.name(), "kept", 1, null);
        cvms = cvmIds(ready);

        release.helm(server, "upgrade", "logLevel=DEBUG");
        Fixtures.secret(admin, ns.name(), "db", Map.of("url", "postgres://kept-2"));

        assertThat(
                cvmIds(
                    Fixtures.awaitReady(
                        admin, ns.name(), "kept", 1, ready.getStatus().envRevision)))
            .isEqualTo(cvms);
      }

      release.helm(server, "uninstall");

      assertThat(
              admin
                  .apiextensions()
                  .v1()
                  .customResourceDefinitions()
                  .withName("phalaapps.phala.cloud")
                  .get())
          .isNotNull();
      assertThat(cvmIds(Fixtures.get(admin, ns.name(), "kept"))).isEqualTo(cvms);
      assertThat(simulator.world().list()).hasSize(1);
    } finally {
      PhalaApp kept = Fixtures.get(admin, ns.name(), "kept");
      if (kept != null) {
        kept.getMetadata().setFinalizers(List.of());
        admin.resource(kept).update();
        admin.resource(kept).delete();
      }
    }
  }

  /**
   * The PhalaApp deleted with deletionPolicy Retain and created again (a new uid, as a restore or
   * an Argo CD replace does), then adopted through an admin's grant in the release namespace: the
   * operator rewrites the app's record and deletes the grant it used. The new one brings its own
   * API key, which the operator copies for its cleanup.
   */
  private static void replaceAndAdopt(
      KubernetesClient admin,
      Release release,
      TestNamespace ns,
      String name,
      PhalaSimulator simulator) {
    String appId = Fixtures.get(admin, ns.name(), name).getStatus().appId;
    admin
        .resources(PhalaApp.class)
        .inNamespace(ns.name())
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"deletionPolicy\":\"Retain\"}}");
    admin.resources(PhalaApp.class).inNamespace(ns.name()).withName(name).delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Fixtures.get(admin, ns.name(), name) == null);
    Fixtures.secret(admin, ns.name(), "own-key", Map.of("apiKey", simulator.apiKey()));
    PhalaApp again = app(ns, name);
    again.getSpec().credentialsSecretRef = new SecretKeySelector();
    again.getSpec().credentialsSecretRef.name = "own-key";
    again.getSpec().credentialsSecretRef.key = "apiKey";
    admin.resource(again).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> Fixtures.get(admin, ns.name(), name).getStatus(),
            s ->
                s != null
                    && s.conditions != null
                    && s.conditions.stream()
                        .anyMatch(c -> "AdoptionRequired".equals(c.getReason())));
    admin
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("adopt-" + name)
                .withNamespace(release.namespace())
                .addToLabels("phala.cloud/adoption", "grant")
                .endMetadata()
                .withData(Map.of("namespace", ns.name(), "name", name, "appId", appId))
                .build())
        .create();
    PhalaApp adopted = Fixtures.awaitReady(admin, ns.name(), name, 1, null);
    assertThat(adopted.getStatus().appId).isEqualTo(appId);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                admin.configMaps().inNamespace(release.namespace()).withName("adopt-" + name).get()
                    == null);
  }

  /**
   * Every request the operator made was allowed, and every verb the chart grants in each namespace
   * was used there: removing any one would deny a request the operator makes, so the RBAC is not
   * wider than needed.
   */
  private static void assertTheChartGrantsExactlyWhatTheOperatorUsed(
      KubeApiServerHandle server, Release release) {
    // A visible skip (JUnit reports it with this reason), never a silent pass: only the built-in
    // kube-apiserver keeps an audit log, k3s (-Pk3s) does not.
    Assumptions.assumeTrue(
        server.auditLog().isPresent(),
        "this API server backend keeps no audit log, so the chart's RBAC is not checked");
    Set<String> granted = new TreeSet<>();
    for (HasMetadata object : Chart.parse(Chart.template(release.namespace(), release.values()))) {
      if (object instanceof Role role) {
        for (PolicyRule rule : role.getRules()) {
          for (String group : rule.getApiGroups()) {
            for (String resource : rule.getResources()) {
              for (String verb : rule.getVerbs()) {
                granted.add(key(role.getMetadata().getNamespace(), group, resource, verb));
              }
            }
          }
        }
      }
      assertThat(object).isNotInstanceOf(ClusterRole.class);
    }
    // JOSDK checks for this verb before it starts leader election (and refuses to start without
    // it), but fabric8 renews the Lease with patch, so no request ever uses it.
    granted.remove(key(release.namespace(), "coordination.k8s.io", "leases", "update"));
    AuditLog audit = server.auditLog().get();

    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  used(audit.requestsBy(release.namespace(), release.serviceAccount()))
                      .containsAll(granted));
    } catch (ConditionTimeoutException e) {
      // the assertion below names the verbs granted but never used
    }
    List<AuditLog.Request> requests =
        audit.requestsBy(release.namespace(), release.serviceAccount());
    assertThat(requests).noneMatch(r -> r.responseCode() == 403);
    assertThat(used(requests)).containsExactlyInAnyOrderElementsOf(granted);
  }

  /**
   * Requests that passed authorization (404 and 409 did; 429 may not have reached it), except the
   * self-reviews every authenticated user may make (JOSDK's permission check before it starts).
   */
  private static Set<String> used(List<AuditLog.Request> requests) {
    return requests.stream()
        .filter(r -> r.responseCode() < 400 || r.responseCode() == 404 || r.responseCode() == 409)
        .filter(r -> !r.apiGroup().equals("authorization.k8s.io"))
        .map(r -> key(r.namespace(), r.apiGroup(), r.resource(), r.verb()))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String key(String namespace, String group, String resource, String verb) {
    return namespace + " " + group + "/" + resource + ":" + verb;
  }

  /** The environment the chart gives the pod, pointed at the simulator, metrics on a free port. */
  private static OperatorConfig configFromChart(
      KubernetesClient admin, Release release, PhalaSimulator simulator) {
    Deployment deployment =
        admin
            .apps()
            .deployments()
            .inNamespace(release.namespace())
            .withName(release.serviceAccount())
            .get();
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
    // A pod exits when it stops leading; this JVM runs the other tests, so it must not.
    env.put("EXIT_ON_LOST_LEASE", "false");
    return OperatorConfig.fromEnvironment(env);
  }

  private static List<String> cvmIds(PhalaApp app) {
    return app.getStatus().cvms.stream().map(c -> c.cvmId).toList();
  }

  private static PhalaApp app(TestNamespace ns, String name) {
    PhalaApp app = new PhalaApp();
    app.getMetadata().setName(name);
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
    // Rollback records the Phala Cloud revision to redeploy: the operator still writes no Secret
    spec.rollout = new Rollout();
    spec.rollout.onFailure = Rollout.OnFailure.Rollback;
    app.setSpec(spec);
    return app;
  }
}
