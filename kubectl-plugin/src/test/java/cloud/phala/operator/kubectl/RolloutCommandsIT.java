package cloud.phala.operator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.testsupport.Command;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The writing commands with the real kubectl and the packaged plugin against the real API server:
 * each sets its one spec field by a patch that changes nothing else, under the field manager
 * kubectl-phala; a race with another writer is retried; a missing app is a clear error. What the
 * operator then does is the operator's tests' business.
 */
@KubeApiTest
class RolloutCommandsIT {
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
  void pauseAndResume_setOnlySpecRolloutPaused_andSayWhenNothingChanges(KubernetesClient admin) {
    GenericKubernetesResource before = TestApps.create(admin, ns, "pausing");

    assertThat(user.ok("kubectl phala rollout pause pausing"))
        .isEqualTo("phalaapp.phala.cloud/pausing paused\n");
    GenericKubernetesResource paused = TestApps.app(admin, ns, "pausing").get();
    assertThat(rollout(paused)).containsEntry("paused", true);
    assertOnlyChanged(before, paused, "spec", "rollout", "paused");
    assertThat(managers(paused)).contains(Cluster.FIELD_MANAGER);
    assertThat(user.ok("kubectl phala rollout pause pausing"))
        .isEqualTo("phalaapp.phala.cloud/pausing already paused\n");

    assertThat(user.ok("kubectl phala rollout resume pausing"))
        .isEqualTo("phalaapp.phala.cloud/pausing resumed\n");
    assertThat(rollout(TestApps.app(admin, ns, "pausing").get())).containsEntry("paused", false);
    assertThat(user.ok("kubectl phala rollout resume pausing"))
        .isEqualTo("phalaapp.phala.cloud/pausing already resumed\n");
  }

  @Test
  void restart_setsSpecRestartAtToNowInUtc_andNothingElse(KubernetesClient admin) {
    GenericKubernetesResource before = TestApps.create(admin, ns, "restarting");
    Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    assertThat(user.ok("kubectl phala rollout restart restarting"))
        .isEqualTo("phalaapp.phala.cloud/restarting restarted\n");

    GenericKubernetesResource after = TestApps.app(admin, ns, "restarting").get();
    String restartAt = (String) spec(after).get("restartAt");
    assertThat(restartAt).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(Instant.parse(restartAt)).isBetween(from, Instant.now());
    assertOnlyChanged(before, after, "spec", "restartAt");
    assertThat(after.getMetadata().getGeneration())
        .as("a spec change: the operator sees a new generation")
        .isEqualTo(before.getMetadata().getGeneration() + 1);
  }

  @Test
  void retry_refusesWithoutAFailedRollout_andSetsSpecRolloutRetryAtWhenOneFailed(
      KubernetesClient admin) {
    GenericKubernetesResource before = TestApps.create(admin, ns, "retrying");

    Command.Result refused = user.run("kubectl phala rollout retry retrying");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.output())
        .isEqualTo(
            "error: phalaapp \"retrying\" has no failed rollout to retry"
                + " (status.rollout.failedRevision)\n");
    assertThat(TestApps.comparable(TestApps.app(admin, ns, "retrying").get()))
        .isEqualTo(TestApps.comparable(before));

    GenericKubernetesResource failed =
        TestApps.writeStatus(
            admin,
            ns,
            "retrying",
            Map.of(
                "phase",
                "Halted",
                "rollout",
                Map.of(
                    "failedRevision", "rev-b",
                    "action", "Halted",
                    "failedAt", "2026-12-03T10:00:00Z")));
    assertThat(user.ok("kubectl phala rollout retry retrying"))
        .isEqualTo("phalaapp.phala.cloud/retrying retried\n");
    GenericKubernetesResource after = TestApps.app(admin, ns, "retrying").get();
    assertThat(Instant.parse((String) rollout(after).get("retryAt")))
        .isAfterOrEqualTo(Instant.parse("2026-12-03T10:00:00Z"));
    assertOnlyChanged(failed, after, "spec", "rollout", "retryAt");
  }

  @Test
  void undo_pinsThePreviousRevisionOrTheNamedOne_andUnpinRemovesThePin(KubernetesClient admin) {
    TestApps.create(admin, ns, "undoing");
    GenericKubernetesResource before =
        TestApps.writeStatus(admin, ns, "undoing", Fixtures.historyStatus(3));

    assertThat(user.ok("kubectl phala rollout undo undoing"))
        .startsWith("phalaapp.phala.cloud/undoing rolled back to revision 2 (pinned;");
    GenericKubernetesResource pinned = TestApps.app(admin, ns, "undoing").get();
    assertThat(rollout(pinned)).containsEntry("pinnedRevision", 2);
    assertOnlyChanged(before, pinned, "spec", "rollout", "pinnedRevision");
    assertThat(user.ok("kubectl phala rollout undo undoing --to-revision=2"))
        .isEqualTo(
            "phalaapp.phala.cloud/undoing skipped rollback (already pinned to revision 2)\n");

    assertThat(user.ok("kubectl phala rollout undo undoing --to-revision 1"))
        .startsWith("phalaapp.phala.cloud/undoing rolled back to revision 1");
    assertThat(rollout(TestApps.app(admin, ns, "undoing").get()))
        .containsEntry("pinnedRevision", 1);

    Command.Result missing = user.run("kubectl phala rollout undo undoing --to-revision=7");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.output())
        .startsWith("error: unable to find revision 7 in the history of phalaapp \"undoing\"");
    assertThat(rollout(TestApps.app(admin, ns, "undoing").get()))
        .containsEntry("pinnedRevision", 1);

    assertThat(user.ok("kubectl phala rollout unpin undoing"))
        .isEqualTo(
            "phalaapp.phala.cloud/undoing unpinned: rolls out the revision built from its"
                + " current Secrets\n");
    GenericKubernetesResource unpinned = TestApps.app(admin, ns, "undoing").get();
    assertThat(rollout(unpinned)).doesNotContainKey("pinnedRevision");
    assertOnlyChanged(before, unpinned, "spec", "rollout", "pinnedRevision");
    assertThat(user.ok("kubectl phala rollout unpin undoing"))
        .isEqualTo("phalaapp.phala.cloud/undoing not pinned\n");
  }

  @Test
  void undo_withoutHistory_isAClearError(KubernetesClient admin) {
    TestApps.create(admin, ns, "fresh");
    Command.Result result = user.run("kubectl phala rollout undo fresh");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output())
        .isEqualTo(
            "error: phalaapp \"fresh\" has no rollout history yet (status.history is empty):"
                + " nothing to undo\n");
  }

  @Test
  void undo_racingAnotherWriter_decidesAgainOnTheNewerApp(
      KubernetesClient admin, KubeApiServerHandle server) throws Exception {
    TestApps.create(admin, ns, "racing");
    TestApps.writeStatus(admin, ns, "racing", Fixtures.historyStatus(3));
    AtomicInteger attempts = new AtomicInteger();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Args args = Args.parse("--kubeconfig", user.kubeconfig().toString(), "-n", ns);

    try (Cluster cluster = Cluster.connect(args)) {
      RolloutCommands commands =
          new RolloutCommands(
              cluster, new PrintStream(printed, true, StandardCharsets.UTF_8), Clock.systemUTC());
      commands.conditionally(
          "racing",
          app -> {
            if (attempts.incrementAndGet() == 1) {
              // another writer changes the status between this read and the write
              TestApps.writeStatus(admin, ns, "racing", Fixtures.historyStatus(4));
            }
            int target = UndoTarget.choose(app, null);
            commands.patchAt(app, "{\"pinnedRevision\":" + target + "}");
            return "pinned " + target;
          });
    }

    assertThat(attempts).as("the 409 Conflict made it read and decide again").hasValue(2);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .isEqualTo("phalaapp.phala.cloud/racing pinned 3\n");
    assertThat(rollout(TestApps.app(admin, ns, "racing").get()))
        .as("decided on the history as it is now, with revision 4 current")
        .containsEntry("pinnedRevision", 3);
  }

  @Test
  void everyCommand_onAMissingApp_saysNotFound_andExitsOne() {
    for (String command :
        List.of(
            "rollout status nope",
            "rollout pause nope",
            "rollout resume nope",
            "rollout restart nope",
            "rollout retry nope",
            "rollout undo nope",
            "rollout unpin nope",
            "rollout history nope",
            "get nope")) {
      Command.Result result = user.run("kubectl phala " + command);
      assertThat(result.exitCode()).as(command).isEqualTo(1);
      assertThat(result.output())
          .as(command)
          .isEqualTo("Error from server (NotFound): phalaapps.phala.cloud \"nope\" not found\n");
    }
  }

  private static void assertOnlyChanged(
      GenericKubernetesResource before, GenericKubernetesResource after, String... path) {
    Map<String, Object> expected = TestApps.comparable(before);
    Map<String, Object> actual = TestApps.comparable(after);
    remove(expected, path);
    remove(actual, path);
    assertThat(actual).as("everything but %s", String.join(".", path)).isEqualTo(expected);
  }

  @SuppressWarnings("unchecked")
  private static void remove(Map<String, Object> object, String... path) {
    Map<String, Object> at = object;
    for (int i = 0; i < path.length - 1 && at != null; i++) {
      at = (Map<String, Object>) at.get(path[i]);
    }
    if (at != null) {
      at.remove(path[path.length - 1]);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource app) {
    return (Map<String, Object>) app.getAdditionalProperties().get("spec");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> rollout(GenericKubernetesResource app) {
    return (Map<String, Object>) spec(app).get("rollout");
  }

  private static List<String> managers(GenericKubernetesResource app) {
    return app.getMetadata().getManagedFields().stream().map(m -> m.getManager()).toList();
  }
}
