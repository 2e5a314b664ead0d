package cloud.phala.operator.kubectl;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;

/**
 * pause, resume, restart, retry, undo and unpin: each one JSON merge patch of the one spec field
 * the operator acts on, nothing else. A field the cluster's CRD does not know is pruned by the API
 * server; the returned object shows it, and the command says the CRD needs an upgrade.
 */
final class RolloutCommands {
  private static final int CONFLICT_ATTEMPTS = 5;

  private final Cluster cluster;
  private final PrintStream out;
  private final Clock clock;

  RolloutCommands(Cluster cluster, PrintStream out, Clock clock) {
    this.cluster = cluster;
    this.out = out;
    this.clock = clock;
  }

  int pause(String name, boolean paused) {
    App app = cluster.get(name);
    String done = paused ? "paused" : "resumed";
    if (app.paused() == paused) {
      out.println(ref(name) + " already " + done);
      return 0;
    }
    cluster.patch(name, "{\"spec\":{\"rollout\":{\"paused\":" + paused + "}}}");
    out.println(ref(name) + " " + done);
    return 0;
  }

  int restart(String name) {
    cluster.get(name);
    String now = now();
    App patched = cluster.patch(name, "{\"spec\":{\"restartAt\":\"" + now + "\"}}");
    requireKept(now.equals(patched.ops().spec.restartAt), "spec.restartAt", "rollout restart");
    out.println(ref(name) + " restarted");
    return 0;
  }

  int retry(String name) {
    App app = cluster.get(name);
    var rollout = app.status().rollout;
    if (rollout == null || rollout.failedRevision == null) {
      throw new UserError(
          "phalaapp \""
              + name
              + "\" has no failed rollout to retry (status.rollout.failedRevision)");
    }
    String now = now();
    App patched = cluster.patch(name, "{\"spec\":{\"rollout\":{\"retryAt\":\"" + now + "\"}}}");
    requireKept(
        now.equals(patched.ops().spec.rollout.retryAt), "spec.rollout.retryAt", "rollout retry");
    out.println(ref(name) + " retried");
    return 0;
  }

  int undo(String name, Integer toRevision) {
    return conditionally(
        name,
        app -> {
          int target = UndoTarget.choose(app, toRevision);
          if (Integer.valueOf(target).equals(app.ops().spec.rollout.pinnedRevision)) {
            return "skipped rollback (already pinned to revision " + target + ")";
          }
          App patched = patchAt(app, "{\"pinnedRevision\":" + target + "}");
          requireKept(
              Integer.valueOf(target).equals(patched.ops().spec.rollout.pinnedRevision),
              "spec.rollout.pinnedRevision",
              "rollout undo");
          return "rolled back to revision "
              + target
              + " (pinned; kubectl phala rollout unpin "
              + name
              + " follows the Secrets again)";
        });
  }

  int unpin(String name) {
    return conditionally(
        name,
        app -> {
          if (app.ops().spec.rollout.pinnedRevision == null) {
            return "not pinned";
          }
          patchAt(app, "{\"pinnedRevision\":null}");
          return "unpinned: rolls out the revision built from its current Secrets";
        });
  }

  /**
   * Reads the app, decides and writes with the resourceVersion it read: if the app changed in
   * between (HTTP 409), reads it again and decides again.
   */
  int conditionally(String name, Function<App, String> decideAndPatch) {
    for (int attempt = 1; ; attempt++) {
      App app = cluster.get(name);
      try {
        out.println(ref(name) + " " + decideAndPatch.apply(app));
        return 0;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == CONFLICT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  App patchAt(App app, String rolloutFields) {
    return cluster.patch(
        app.name(),
        "{\"metadata\":{\"resourceVersion\":\""
            + app.app().getMetadata().getResourceVersion()
            + "\"},\"spec\":{\"rollout\":"
            + rolloutFields
            + "}}");
  }

  private static void requireKept(boolean kept, String field, String command) {
    if (!kept) {
      throw new UserError(
          "the PhalaApp CRD in this cluster has no "
              + field
              + ": upgrade phala-operator (and its CRD) to use kubectl phala "
              + command);
    }
  }

  private String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static String ref(String name) {
    return "phalaapp.phala.cloud/" + name;
  }
}
