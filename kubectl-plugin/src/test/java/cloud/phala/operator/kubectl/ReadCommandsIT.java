package cloud.phala.operator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.testsupport.Command;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reading commands with the real kubectl and the packaged plugin against the real API server,
 * on status objects written as the operator writes them (the status subresource).
 */
@KubeApiTest
class ReadCommandsIT {
  private static final String CANARY = "canary-value-kubectl-phala-7f3e";
  private static PluginShell user;
  private static String ns;

  @BeforeAll
  static void setUp(KubernetesClient admin, KubeApiServerHandle server, TestNamespace namespace)
      throws Exception {
    ContractCrd.install(admin);
    ns = namespace.name();
    TestApps.awaitContractSchema(admin, ns);
    user = PluginShell.in(server, ns);
  }

  @Test
  void history_listsRevisionsNewestFirst_withKeyNamesOnly_andOneRevisionInDetail(
      KubernetesClient admin) {
    TestApps.create(admin, ns, "hist");
    TestApps.writeStatus(admin, ns, "hist", Fixtures.historyStatus(3));

    assertThat(user.ok("kubectl phala rollout history hist"))
        .isEqualTo(
            """
            phalaapp.phala.cloud/hist
            REVISION   ROLLED OUT             COMPOSE        CHANGED KEYS
            3          2026-12-03T10:00:00Z   c0ffee301234   API_TOKEN
            2          2026-12-02T10:00:00Z   c0ffee201234   API_TOKEN
            1          2026-12-01T10:00:00Z   c0ffee101234   -
            Current revision: 3
            """);
    assertThat(user.ok("kubectl phala rollout history hist --revision=2"))
        .isEqualTo(
            """
            phalaapp.phala.cloud/hist with revision #2
              Rolled out:      2026-12-02T10:00:00Z
              Env revision:    env2a1b2c3d4e5f6a7b8
              Phala revision:  rev-2
              Compose hash:    c0ffee20123456789abcdef
              Env keys:        API_TOKEN, DATABASE_URL
              Changed keys:    API_TOKEN
            """);

    user.ok("kubectl phala rollout undo hist");
    assertThat(user.ok("kubectl phala rollout history hist"))
        .endsWith(
            "Current revision: 3\n"
                + "Pinned to revision 2: kubectl phala rollout unpin hist follows the Secrets"
                + " again\n");
  }

  @Test
  void get_showsEachCvmWithItsRevisionStateAndServing_andTheLastFiveEvents(KubernetesClient admin) {
    GenericKubernetesResource app = TestApps.create(admin, ns, "shown");
    Map<String, Object> status = Fixtures.rolloutStatus(1, Map.of(), 2, false);
    status.put("cvms", Fixtures.cvms());
    TestApps.writeStatus(admin, ns, "shown", status);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    for (int i = 1; i <= 6; i++) {
      event(admin, app, "Updated", "CVM app-" + i + " given revision 3", now.minusSeconds(60 - i));
    }

    String shown = user.ok("kubectl phala get shown");

    assertThat(shown)
        .contains(
            "Name:       shown\n",
            "Namespace:  " + ns + "\n",
            "Status:     Rolling\n",
            "Revision:   3 (env env3a1b2c3d4)\n",
            "Replicas:   3 desired, 3 current, 2 updated, 3 serving\n",
            "CVM     ID                                     STATE                 REVISION   SERVING\n",
            "app-0   11111111-0000-0000-0000-000000000000   running               3          yes\n",
            "app-2   33333333-0000-0000-0000-000000000000   starting (updating)   2          no\n",
            "LAST SEEN   TYPE     REASON    MESSAGE\n");
    assertThat(shown).doesNotContain("CVM app-1 given").contains("CVM app-6 given revision 3");
    assertThat(shown.indexOf("app-2 given")).isLessThan(shown.indexOf("app-6 given"));
  }

  @Test
  void status_exitsZeroOnceTheCurrentRevisionIsReadyOnEveryReplica_printingProgress(
      KubernetesClient admin) throws Exception {
    String rv = secret(admin, "follow-keys");
    GenericKubernetesResource app = TestApps.create(admin, ns, "follow");
    long generation = app.getMetadata().getGeneration();
    TestApps.writeStatus(
        admin,
        ns,
        "follow",
        Fixtures.rolloutStatus(generation, Map.of("follow-keys", rv), 1, false));
    Path out = Files.createTempFile("status-", ".out");

    CompletableFuture<Command.Result> following =
        CompletableFuture.supplyAsync(
            () ->
                user.run(
                    "kubectl phala rollout status follow --timeout=90s > '"
                        + out
                        + "' 2>&1"
                        + "; code=$?; cat '"
                        + out
                        + "'; exit $code"));
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(out).contains("1 of 3"));
    TestApps.writeStatus(
        admin,
        ns,
        "follow",
        Fixtures.rolloutStatus(generation, Map.of("follow-keys", rv), 2, false));
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(out).contains("2 of 3"));
    TestApps.writeStatus(
        admin,
        ns,
        "follow",
        Fixtures.rolloutStatus(generation, Map.of("follow-keys", rv), 3, false));

    Command.Result result = following.get();
    assertThat(result.exitCode()).isZero();
    assertThat(result.output())
        .isEqualTo(
            """
            Waiting for rollout to finish: 1 of 3 updated replicas...
            Waiting for rollout to finish: 2 of 3 updated replicas...
            phalaapp "follow" successfully rolled out (revision 3)
            """);
  }

  @Test
  void status_exitsOneOnADegradedRollout_ofTheCurrentInputs(KubernetesClient admin) {
    String rv = secret(admin, "broken-keys");
    GenericKubernetesResource app = TestApps.create(admin, ns, "broken");
    long generation = app.getMetadata().getGeneration();
    TestApps.writeStatus(
        admin,
        ns,
        "broken",
        Fixtures.rolloutStatus(generation, Map.of("broken-keys", rv), 0, true));

    Command.Result result = user.run("kubectl phala rollout status broken");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output())
        .isEqualTo(
            "error: phalaapp \"broken\" rollout failed: RolloutHalted: Degraded RolloutHalted\n");
  }

  @Test
  void status_waitsForTheOperatorToSeeAChangedSecret_notFailingOnItsOldDegraded_andTimesOut(
      KubernetesClient admin) {
    String rv = secret(admin, "stale-keys");
    GenericKubernetesResource app = TestApps.create(admin, ns, "stale");
    long generation = app.getMetadata().getGeneration();
    TestApps.writeStatus(
        admin, ns, "stale", Fixtures.rolloutStatus(generation, Map.of("stale-keys", rv), 0, true));
    admin
        .secrets()
        .inNamespace(ns)
        .withName("stale-keys")
        .edit(s -> new SecretBuilder(s).addToStringData("TOKEN", CANARY + "-fixed").build());

    Command.Result result = user.run("kubectl phala rollout status stale --timeout=3s");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output())
        .isEqualTo(
            "Waiting for the operator to read the latest Secret stale-keys...\n"
                + "error: timed out waiting for the rollout of phalaapp \"stale\" to finish\n");
    assertThat(result.output()).doesNotContain(CANARY);
  }

  @Test
  void theNamespace_comesFromTheContext_orNamespace_orContextFlags_orKubeconfigFlag(
      KubernetesClient admin, KubeApiServerHandle server) throws Exception {
    TestApps.create(admin, ns, "where");
    TestApps.writeStatus(admin, ns, "where", Fixtures.historyStatus(1));
    PluginShell elsewhere = PluginShell.in(server, "default");
    String history = "kubectl phala rollout history where";

    assertThat(user.ok(history)).contains("Current revision: 1");
    assertThat(elsewhere.run(history).output()).contains("NotFound");
    assertThat(elsewhere.ok(history + " -n " + ns)).contains("Current revision: 1");
    assertThat(elsewhere.ok("kubectl phala --namespace=" + ns + " rollout history where"))
        .contains("Current revision: 1");
    elsewhere.ok(
        "kubectl config set-context team --namespace="
            + ns
            + " --cluster=\"$(kubectl config view -o jsonpath='{.contexts[0].context.cluster}')\""
            + " --user=\"$(kubectl config view -o jsonpath='{.contexts[0].context.user}')\"");
    assertThat(elsewhere.ok(history + " --context team")).contains("Current revision: 1");
    assertThat(
            elsewhere.ok(
                "cp \"$KUBECONFIG\" team.yaml; unset KUBECONFIG; "
                    + history
                    + " --kubeconfig team.yaml --context=team"))
        .contains("Current revision: 1");
  }

  private static String secret(KubernetesClient admin, String name) {
    return admin
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withStringData(new HashMap<>(Map.of("TOKEN", CANARY)))
                .build())
        .create()
        .getMetadata()
        .getResourceVersion();
  }

  private static void event(
      KubernetesClient admin,
      GenericKubernetesResource app,
      String reason,
      String message,
      Instant at) {
    admin
        .v1()
        .events()
        .inNamespace(ns)
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withGenerateName(app.getMetadata().getName() + ".")
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(app.getApiVersion())
                .withKind(app.getKind())
                .withName(app.getMetadata().getName())
                .withNamespace(ns)
                .withUid(app.getMetadata().getUid())
                .endInvolvedObject()
                .withType("Normal")
                .withReason(reason)
                .withMessage(message)
                .withFirstTimestamp(at.toString())
                .withLastTimestamp(at.toString())
                .withCount(1)
                .build())
        .create();
  }
}
