package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.app.OperatorRuntime;
import cloud.phala.operator.app.cloud.CvmNames;
import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.app.owner.AppRecords;
import cloud.phala.operator.app.owner.Installation;
import cloud.phala.operator.crd.ContentSource;
import cloud.phala.operator.crd.EnvVarSource;
import cloud.phala.operator.crd.KmsPolicy;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.Rollout;
import cloud.phala.operator.crd.SecretKeySelector;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.cloud.AvailabilityPoint;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.cloud.CvmStatus;
import cloud.phala.operator.testsupport.AuditLog;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.ServiceAccountClients;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code helm upgrade} from the chart and operator of {@link #PREVIOUS} to this checkout's, as a
 * user with a release in production would do it. The earlier operator is built from a clone of this
 * repository and runs as a separate {@code java} process with its chart's environment and
 * ServiceAccount token; it deploys three apps (one with the KMS signature check turned off) and
 * rotates one by surge, so that app's CVMs no longer bear the name of its first CVM. After the
 * upgrade, the operator of this checkout runs with the new chart's environment and token (as
 * InstalledOperatorE2E runs it): it takes ownership from the records migrated out of status once,
 * keeps the identity {@code k8s}, restarts, adds and deletes nothing, then rotates and deletes the
 * CVMs the earlier operator created, and leaves the unverified app's CVM alone.
 */
@KubeApiTest
class UpgradeE2E {
  /**
   * The chart and operator on main before installations owned their CVMs (f76e76d: per-app record
   * Secrets, the installation ConfigMap, identity no longer defaulting to {@code k8s}) and before
   * revisions were bound to the app (7988082, status.revisionScheme 2): ownership came from
   * status.appId, CVMs were named {@code k8s-<namespace>-<name>-<hash>}, the KMS root key was kept
   * per app in status.kmsRootKey.
   */
  static final String PREVIOUS = "dfc52b7cf2af4e059db8e4edcbd31991d62873bc";

  /** This build's local repository; e2e/pom.xml passes it to failsafe. */
  private static final String LOCAL_REPOSITORY = System.getProperty("phala.maven.repo.local");

  private static final String RELEASE = "phala-operator";
  private static final String COMPOSE =
      "services:\n  api:\n    image: nginx\n    environment:\n"
          + "      - DATABASE_URL=${DATABASE_URL}\n      - API_TOKEN=${API_TOKEN}\n";

  /** Test speed: what the chart does not set, or sets for a pod of its own (its metrics port). */
  private static final Map<String, String> NOT_FROM_THE_CHART =
      Map.of("HTTP_PORT", "0", "PROGRESS_POLL", "0.3s", "STEADY_POLL", "1s");

  /** The Secret in which the previous version kept surge's last good revision. */
  private static final String OLD_ROLLBACK = "surge-phala-rollback";

  /** The apps whose env keys are verified; a third, "unverified", turned the check off. */
  private static final List<String> VERIFIED = List.of("plain", "surge");

  /** What the upgrade must leave alone: one CVM as the simulator has it. */
  private record Seen(String appId, String name, int boots, String status) {}

  @Test
  void helmUpgradeFromThePreviousVersion_keepsAndRestartsNoCvm_andTheNewOperatorManagesThem(
      KubernetesClient admin, KubeApiServerHandle server, TestNamespace ns) throws Exception {
    long testStart = System.nanoTime();
    String watched = ns.name();
    String releaseNamespace = ns.name() + "-system";
    Path logs = Files.createDirectories(Path.of("target", "upgrade-e2e"));
    try (PreviousVersion previous = PreviousVersion.build(PREVIOUS, LOCAL_REPOSITORY);
        PhalaSimulator simulator = Fixtures.fastSimulator()) {
      System.out.printf(
          "UpgradeE2E: cloned and built %s in %d s%n", PREVIOUS, previous.buildTime().toSeconds());
      UserShell before = UserShell.in(previous.checkout(), server, null);
      UserShell after = UserShell.in(ExampleGuide.REPOSITORY, server, null);
      String values =
          " --set phala.apiUrl="
              + simulator.baseUrl()
              + " --set phala.defaultCredentials.secretName=phala-api"
              + " --set 'phala.defaultCredentials.namespaces={"
              + watched
              + "}' --set 'watchNamespaces={"
              + watched
              + "}'";
      // The shared API server has this build's CRD; the earlier release had its own.
      before.run("kubectl replace -f helm/phala-operator/crds/");
      try {
        // 1. The earlier release, as docs/install.md said then.
        before.run(
            "kubectl create namespace "
                + releaseNamespace
                + " && kubectl -n "
                + releaseNamespace
                + " create secret generic phala-api --from-literal=apiKey="
                + simulator.apiKey()
                + " && helm install "
                + RELEASE
                + " helm/phala-operator -n "
                + releaseNamespace
                + values);
        Fixtures.secret(admin, watched, "db", Map.of("url", "postgres://db-1"));
        Fixtures.secret(admin, watched, "surge-api", Map.of("token", "surge-1"));
        Fixtures.secret(admin, watched, "plain-api", Map.of("token", "plain-1"));
        ServiceAccountClients accounts = new ServiceAccountClients(server, admin);
        String serviceAccount = serviceAccount(admin, releaseNamespace);

        Map<String, PhalaApp> old = new TreeMap<>();
        try (PreviousVersion.Running operator =
            previous.start(
                environment(admin, releaseNamespace),
                accounts.kubeConfigFor(releaseNamespace, serviceAccount),
                logs.resolve("previous-operator.log"))) {
          PhalaApp rollingBack = app(watched, "surge", 3, "surge-api", 1, 0, true);
          // the previous version kept the last good revision in a Secret for a rollback
          rollingBack.getSpec().rollout.onFailure = Rollout.OnFailure.Rollback;
          admin.resource(rollingBack).create();
          admin.resource(app(watched, "plain", 2, "plain-api", 0, 1, true)).create();
          admin.resource(app(watched, "unverified", 1, "plain-api", 0, 1, false)).create();
          PhalaApp surge =
              awaitSettled(admin, simulator, watched, "surge", 3, env("db-1", "surge-1"));
          awaitSettled(admin, simulator, watched, "plain", 2, env("db-1", "plain-1"));
          old.put(
              "unverified",
              awaitSettled(admin, simulator, watched, "unverified", 1, env("db-1", "plain-1")));

          Fixtures.secret(admin, watched, "surge-api", Map.of("token", "surge-2"));
          awaitApp(
              admin,
              watched,
              "surge",
              app -> !app.getStatus().envRevision.equals(surge.getStatus().envRevision));
          old.put(
              "surge", awaitSettled(admin, simulator, watched, "surge", 3, env("db-1", "surge-2")));
          old.put(
              "plain", awaitSettled(admin, simulator, watched, "plain", 2, env("db-1", "plain-1")));
          assertThat(operator.alive()).as("the previous operator, see %s", operator.log()).isTrue();
        }
        server
            .auditLog()
            .ifPresent(
                audit ->
                    assertThat(audit.requestsBy(releaseNamespace, serviceAccount))
                        .as("the previous operator ran as its chart's ServiceAccount, allowed")
                        .isNotEmpty()
                        .noneMatch(r -> r.responseCode() == 403));
        String firstName = CvmNames.of(Installation.LEGACY_IDENTITY, watched, "surge");
        assertThat(simulator.world().listApp(old.get("surge").getStatus().appId))
            .as("the surge rotation replaced every CVM, the first (%s) too", firstName)
            .extracting(CvmSnapshot::name)
            .doesNotContain(firstName);
        assertThat(simulator.world().listApp(old.get("plain").getStatus().appId))
            .extracting(CvmSnapshot::name)
            .contains(CvmNames.of(Installation.LEGACY_IDENTITY, watched, "plain"));
        Map<Integer, Seen> cvmsBefore = cvms(simulator);
        assertThat(cvmsBefore).hasSize(6);
        Secret oldRollback = admin.secrets().inNamespace(watched).withName(OLD_ROLLBACK).get();
        assertThat(oldRollback).as("the previous version's rollback Secret of surge").isNotNull();

        // 2. The upgrade, as docs/install.md says: the CRD (Helm never upgrades it), then the
        // release with the values it was installed with (not --reuse-values: the new defaults).
        Instant upgraded = Instant.now();
        after.run(
            "kubectl apply -f helm/phala-operator/crds/ && helm upgrade "
                + RELEASE
                + " helm/phala-operator -n "
                + releaseNamespace
                + values);
        Map<String, String> chartEnv = environment(admin, releaseNamespace);
        assertThat(chartEnv)
            .as("the new chart's default: the identity is the installation's")
            .doesNotContainKey("PHALA_CLUSTER_NAME")
            .containsEntry("PHALA_ALLOW_UNVERIFIED_KEYS", "false");

        try (KubernetesClient asOperator =
                new KubernetesClientBuilder()
                    .withConfig(
                        Config.fromKubeconfig(
                            accounts.kubeConfigFor(releaseNamespace, serviceAccount)))
                    .build();
            OperatorRuntime operator =
                OperatorRuntime.start(OperatorConfig.fromEnvironment(chartEnv), asOperator)) {
          // 3. Nothing restarted, added or deleted: the same CVMs, each booted as often as before
          for (String name : VERIFIED) {
            int replicas = old.get(name).getSpec().replicas;
            awaitApp(
                admin,
                watched,
                name,
                app ->
                    Integer.valueOf(2).equals(app.getStatus().revisionScheme)
                        && settled(app, replicas));
          }
          // an unverified key is no longer used unless phala.allowUnverifiedKeys: the app waits
          awaitApp(
              admin,
              watched,
              "unverified",
              app ->
                  Integer.valueOf(2).equals(app.getStatus().revisionScheme)
                      && hasCondition(app, "PublicKeyVerified", "False", "VerificationRequired"));
          await()
              .during(Duration.ofSeconds(6))
              .atMost(Duration.ofSeconds(10))
              .untilAsserted(
                  () ->
                      assertThat(cvms(simulator))
                          .as("every CVM: the same app, name, boots and status")
                          .isEqualTo(cvmsBefore));
          for (String name : old.keySet()) {
            PhalaApp earlier = old.get(name);
            PhalaApp now = Fixtures.get(admin, watched, name);
            assertThat(now.getStatus().appId).isEqualTo(earlier.getStatus().appId);
            assertThat(now.getStatus().envRevision)
                .as("%s: the same inputs, renamed in the bound scheme", name)
                .isNotEqualTo(earlier.getStatus().envRevision);
            assertThat(simulator.world().timeline(now.getStatus().appId))
                .as("%s: no CVM changed after the upgrade", name)
                .noneMatch(p -> !p.at().isBefore(upgraded));
          }

          // the rollback record is made anew, from Phala Cloud's history; the old Secret is left
          PhalaApp recorded =
              awaitApp(
                  admin, watched, "surge", app -> app.getStatus().rollout.rollbackRecord != null);
          String appId = recorded.getStatus().appId;
          assertThat(
                  simulator
                      .world()
                      .revision(appId, recorded.getStatus().rollout.rollbackRecord.phalaRevision)
                      .appId())
              .isEqualTo(appId);
          assertOldRollbackSecretUntouched(admin, watched, oldRollback);

          // the records migrated once from status, and the installation keeps the old identity
          List<ConfigMap> records =
              admin
                  .configMaps()
                  .inNamespace(releaseNamespace)
                  .withLabel("phala.cloud/record", "app")
                  .list()
                  .getItems();
          assertThat(records).hasSize(3);
          for (String name : old.keySet()) {
            PhalaApp app = old.get(name);
            ConfigMap record =
                admin
                    .configMaps()
                    .inNamespace(releaseNamespace)
                    .withName(AppRecords.recordName(watched, name))
                    .get();
            assertThat(record).as("the record of %s", name).isNotNull();
            assertThat(record.getData().get("appId")).isEqualTo(app.getStatus().appId);
            assertThat(record.getMetadata().getAnnotations())
                .containsEntry("phala.cloud/uid", app.getMetadata().getUid());
          }
          assertThat(installation(admin, releaseNamespace).getData())
              .containsEntry(Installation.IDENTITY, Installation.LEGACY_IDENTITY);
          String root = old.get("surge").getStatus().kmsRootKey;
          assertThat(root).isNotBlank();
          assertThat(installation(admin, releaseNamespace).getData())
              .as("the KMS root the previous version kept per app, recorded for the installation")
              .containsValue(root);

          // 4. A Secret change rolls through the CVMs the previous operator created
          Map<String, String> settledRevisions = new HashMap<>();
          for (String name : old.keySet()) {
            settledRevisions.put(name, Fixtures.get(admin, watched, name).getStatus().envRevision);
          }
          Instant rotation = Instant.now();
          Fixtures.secret(admin, watched, "db", Map.of("url", "postgres://db-2"));
          // every app saw the change (the unverified one too, though it may not act on it)
          for (String name : old.keySet()) {
            awaitApp(
                admin,
                watched,
                name,
                app -> !app.getStatus().envRevision.equals(settledRevisions.get(name)));
          }
          PhalaApp surge =
              awaitSettled(admin, simulator, watched, "surge", 3, env("db-2", "surge-2"));
          PhalaApp plain =
              awaitSettled(admin, simulator, watched, "plain", 2, env("db-2", "plain-1"));
          assertFloor(simulator, surge, rotation, 3);
          assertOldRollbackSecretUntouched(admin, watched, oldRollback);
          assertFloor(simulator, plain, rotation, 1);
          Map<Integer, Seen> rotated = cvms(simulator);
          assertThat(idsOf(rotated, plain.getStatus().appId))
              .as("plain (maxSurge 0): the same CVMs, updated in place")
              .isEqualTo(idsOf(cvmsBefore, plain.getStatus().appId));
          for (String name : VERIFIED) {
            for (int id : idsOf(cvmsBefore, old.get(name).getStatus().appId)) {
              assertThat(rotated.containsKey(id) ? rotated.get(id).boots() : null)
                  .as("%s: CVM %s of the previous operator: replaced, or restarted once", name, id)
                  .isIn(null, cvmsBefore.get(id).boots() + 1);
            }
          }
          String unverifiedApp = old.get("unverified").getStatus().appId;
          for (int id : idsOf(cvmsBefore, unverifiedApp)) {
            assertThat(rotated.get(id))
                .as("unverified: nothing sealed")
                .isEqualTo(cvmsBefore.get(id));
            assertThat(Fixtures.booted(simulator, String.valueOf(id)))
                .isEqualTo(env("db-1", "plain-1"));
          }
          assertThat(Fixtures.get(admin, watched, "unverified"))
              .matches(
                  app -> hasCondition(app, "PublicKeyVerified", "False", "VerificationRequired"),
                  "still waiting for phala.allowUnverifiedKeys");

          // 5. Ownership kept through the upgrade: deleting a PhalaApp deletes its CVMs
          admin.resource(Fixtures.get(admin, watched, "plain")).delete();
          await()
              .alias("plain and its CVMs deleted")
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      Fixtures.get(admin, watched, "plain") == null
                          && simulator.world().listApp(plain.getStatus().appId).isEmpty());
          assertThat(simulator.world().listApp(surge.getStatus().appId)).hasSize(3);
          assertThat(simulator.world().listApp(unverifiedApp)).hasSize(1);
          assertThat(
                  admin
                      .configMaps()
                      .inNamespace(releaseNamespace)
                      .withName(AppRecords.recordName(watched, "plain"))
                      .get())
              .as("its record")
              .isNull();

          assertTheNewChartAllowedEveryRequest(
              server, releaseNamespace, serviceAccount, upgraded, watched, simulator);
        }
      } finally {
        try {
          removeApps(admin, watched);
        } finally {
          after.run("kubectl replace -f helm/phala-operator/crds/");
        }
      }
    } finally {
      System.out.printf(
          "UpgradeE2E: %d s in all%n", Duration.ofNanos(System.nanoTime() - testStart).toSeconds());
    }
  }

  /**
   * Every request of the upgraded operator (received after the upgrade began; the previous one had
   * stopped) was allowed, by exactly the rules the new chart renders: the Roles in its own and the
   * watched namespace. Among them the ones the previous chart did not grant: its records and its
   * installation ConfigMap.
   */
  private static void assertTheNewChartAllowedEveryRequest(
      KubeApiServerHandle server,
      String releaseNamespace,
      String serviceAccount,
      Instant upgraded,
      String watched,
      PhalaSimulator simulator) {
    // A visible skip, as in InstalledOperatorE2E: only the built-in kube-apiserver keeps an audit
    // log
    Assumptions.assumeTrue(
        server.auditLog().isPresent(),
        "this API server backend keeps no audit log, so the new chart's RBAC is not checked");
    Set<String> granted = new TreeSet<>();
    String manifests =
        Chart.template(
            releaseNamespace,
            "phala.apiUrl=" + simulator.baseUrl(),
            "phala.defaultCredentials.secretName=phala-api",
            "phala.defaultCredentials.namespaces={" + watched + "}",
            "watchNamespaces={" + watched + "}");
    for (HasMetadata object : Chart.parse(manifests)) {
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
    }
    List<AuditLog.Request> requests =
        server.auditLog().get().requestsBy(releaseNamespace, serviceAccount, upgraded);
    assertThat(requests).isNotEmpty().noneMatch(r -> r.responseCode() == 403);
    Set<String> used =
        requests.stream()
            .filter(r -> !r.apiGroup().equals("authorization.k8s.io"))
            .map(r -> key(r.namespace(), r.apiGroup(), r.resource(), r.verb()))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(granted).containsAll(used);
    assertThat(used)
        .as("the records and the installation ConfigMap written after the upgrade")
        .contains(key(releaseNamespace, "", "configmaps", "create"));
  }

  /** The previous version's rollback Secret: neither written nor read since the upgrade. */
  private static void assertOldRollbackSecretUntouched(
      KubernetesClient admin, String namespace, Secret before) {
    Secret now = admin.secrets().inNamespace(namespace).withName(OLD_ROLLBACK).get();
    assertThat(now.getMetadata().getResourceVersion())
        .as("%s is left as the previous version wrote it", OLD_ROLLBACK)
        .isEqualTo(before.getMetadata().getResourceVersion());
  }

  private static String key(String namespace, String group, String resource, String verb) {
    return namespace + " " + group + "/" + resource + ":" + verb;
  }

  /**
   * Ready and at rest, and the simulator agrees: exactly {@code replicas} CVMs, the ones status
   * lists, each running and booted with exactly {@code env}.
   */
  private static PhalaApp awaitSettled(
      KubernetesClient admin,
      PhalaSimulator simulator,
      String namespace,
      String name,
      int replicas,
      Map<String, String> env) {
    return awaitApp(
        admin,
        namespace,
        name,
        app -> {
          if (!settled(app, replicas)) {
            return false;
          }
          List<CvmSnapshot> cvms = simulator.world().listApp(app.getStatus().appId);
          Set<String> listed =
              cvms.stream().map(CvmSnapshot::vmUuidWithoutDashes).collect(Collectors.toSet());
          Set<String> recorded =
              app.getStatus().cvms.stream()
                  .map(c -> c.cvmId.replace("-", "").toLowerCase(Locale.ROOT))
                  .collect(Collectors.toSet());
          return cvms.size() == replicas
              && listed.equals(recorded)
              && cvms.stream()
                  .allMatch(
                      c ->
                          CvmStatus.RUNNING.equals(c.status())
                              && !c.inProgress()
                              && env.equals(Fixtures.booted(simulator, c.vmUuid().toString())));
        });
  }

  /** Waits up to a minute for the PhalaApp to exist and match; a timeout shows its status. */
  private static PhalaApp awaitApp(
      KubernetesClient admin, String namespace, String name, Predicate<PhalaApp> matches) {
    AtomicReference<PhalaApp> seen = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              PhalaApp app = Fixtures.get(admin, namespace, name);
              seen.set(app);
              assertThat(app != null && app.getStatus() != null && matches.test(app))
                  .as("%s/%s: %s", namespace, name, summary(app))
                  .isTrue();
            });
    return seen.get();
  }

  /** What a timeout shows of a PhalaApp: readiness, scheme and conditions. */
  private static String summary(PhalaApp app) {
    if (app == null || app.getStatus() == null) {
      return app == null ? "absent" : "no status";
    }
    return "ready "
        + app.getStatus().ready
        + ", up-to-date "
        + app.getStatus().updatedReplicas
        + ", revisionScheme "
        + app.getStatus().revisionScheme
        + ", "
        + (app.getStatus().conditions == null
            ? "no conditions"
            : app.getStatus().conditions.stream()
                .map(
                    c ->
                        c.getType()
                            + "="
                            + c.getStatus()
                            + " "
                            + c.getReason()
                            + ": "
                            + c.getMessage())
                .collect(Collectors.joining("; ")));
  }

  private static boolean hasCondition(PhalaApp app, String type, String status, String reason) {
    return app.getStatus().conditions != null
        && app.getStatus().conditions.stream()
            .anyMatch(
                c ->
                    c.getType().equals(type)
                        && c.getStatus().equals(status)
                        && c.getReason().equals(reason));
  }

  /** All n up to date, Ready=True, Progressing=False. */
  private static boolean settled(PhalaApp app, int replicas) {
    return app.getStatus() != null
        && Integer.valueOf(replicas).equals(app.getStatus().updatedReplicas)
        && app.getStatus().conditions != null
        && app.getStatus().conditions.stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))
        && app.getStatus().conditions.stream()
            .anyMatch(c -> c.getType().equals("Progressing") && c.getStatus().equals("False"));
  }

  private static void assertFloor(PhalaSimulator simulator, PhalaApp app, Instant from, int floor) {
    List<AvailabilityPoint> timeline = simulator.world().timeline(app.getStatus().appId);
    assertThat(timeline)
        .as("%s: serving CVMs at every change during the rotation", app.getMetadata().getName())
        .filteredOn(p -> !p.at().isBefore(from))
        .isNotEmpty()
        .extracting(AvailabilityPoint::serving)
        .allMatch(serving -> serving >= floor);
  }

  /** Every CVM on the account, by id. */
  private static Map<Integer, Seen> cvms(PhalaSimulator simulator) {
    Map<Integer, Seen> cvms = new TreeMap<>();
    for (CvmSnapshot cvm : simulator.world().list()) {
      cvms.put(cvm.id(), new Seen(cvm.appId(), cvm.name(), cvm.boots(), cvm.status()));
    }
    return cvms;
  }

  private static Set<Integer> idsOf(Map<Integer, Seen> cvms, String appId) {
    return cvms.entrySet().stream()
        .filter(e -> e.getValue().appId().equals(appId))
        .map(Map.Entry::getKey)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Map<String, String> env(String db, String token) {
    return Map.of("DATABASE_URL", "postgres://" + db, "API_TOKEN", token);
  }

  private static ConfigMap installation(KubernetesClient admin, String namespace) {
    ConfigMap installation =
        admin.configMaps().inNamespace(namespace).withName(Installation.NAME).get();
    assertThat(installation).as("ConfigMap %s", Installation.NAME).isNotNull();
    return installation;
  }

  /** The ServiceAccount the release's Deployment runs as. */
  private static String serviceAccount(KubernetesClient admin, String namespace) {
    return deployment(admin, namespace).getSpec().getTemplate().getSpec().getServiceAccountName();
  }

  /**
   * The environment the installed chart gives the pod (values only: no kubelet here to resolve
   * POD_NAME), with what a test on one machine must change.
   */
  private static Map<String, String> environment(KubernetesClient admin, String namespace) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar var :
        deployment(admin, namespace)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      }
    }
    env.putAll(NOT_FROM_THE_CHART);
    return env;
  }

  private static Deployment deployment(KubernetesClient admin, String namespace) {
    List<Deployment> deployments =
        admin.apps().deployments().inNamespace(namespace).list().getItems();
    assertThat(deployments).hasSize(1);
    return deployments.get(0);
  }

  private static PhalaApp app(
      String namespace,
      String name,
      int replicas,
      String tokenSecret,
      int surge,
      int unavailable,
      boolean verifyPublicKey) {
    PhalaApp app = new PhalaApp();
    app.getMetadata().setName(name);
    app.getMetadata().setNamespace(namespace);
    PhalaAppSpec spec = new PhalaAppSpec();
    spec.replicas = replicas;
    spec.compose = new ContentSource();
    spec.compose.inline = COMPOSE;
    spec.env =
        List.of(
            fromSecret("DATABASE_URL", "db", "url"), fromSecret("API_TOKEN", tokenSecret, "token"));
    spec.rollout = new Rollout();
    spec.rollout.maxSurge = new IntOrString(surge);
    spec.rollout.maxUnavailable = new IntOrString(unavailable);
    if (!verifyPublicKey) {
      spec.kms = new KmsPolicy();
      spec.kms.verifyPublicKey = false;
    }
    app.setSpec(spec);
    return app;
  }

  private static EnvVarSource fromSecret(String name, String secret, String key) {
    EnvVarSource var = new EnvVarSource();
    var.name = name;
    var.valueFrom = new EnvVarSource.ValueFrom();
    var.valueFrom.secretKeyRef = new SecretKeySelector();
    var.valueFrom.secretKeyRef.name = secret;
    var.valueFrom.secretKeyRef.key = key;
    return var;
  }

  /** With no controller-manager here, the finalizers of what is left are removed by hand. */
  private static void removeApps(KubernetesClient admin, String namespace) {
    for (PhalaApp app : admin.resources(PhalaApp.class).inNamespace(namespace).list().getItems()) {
      app.getMetadata().setFinalizers(List.of());
      admin.resource(app).update();
      admin.resource(app).delete();
    }
  }
}
