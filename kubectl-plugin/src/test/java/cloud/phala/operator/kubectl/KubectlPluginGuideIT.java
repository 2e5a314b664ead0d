package cloud.phala.operator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Runs the restart, retry and history-and-undo sections of docs/kubectl-plugin.md as written, with
 * the real kubectl and the packaged plugin against the real API server, on status written as the
 * operator writes it, asserting the field each command sets. (e2e's KubectlPluginGuideE2E runs the
 * other sections with the real operator.)
 */
@KubeApiTest
class KubectlPluginGuideIT {
  private static final String APP = "payments-api";

  private final List<String> documented = new ArrayList<>();
  private final Set<String> ran = new LinkedHashSet<>();
  private PluginShell user;

  @Test
  void restartRetryHistoryAndUndo_asWritten(
      KubernetesClient admin, KubeApiServerHandle server, TestNamespace ns) throws Exception {
    ContractCrd.install(admin);
    String n = ns.name();
    TestApps.awaitContractSchema(admin, n);
    for (String section : List.of("Restart", "Retry a failed rollout", "History and undo")) {
      documented.addAll(Guide.commands(section));
    }
    user = PluginShell.in(server, n);
    TestApps.create(admin, n, APP);

    assertThat(run(doc("rollout restart")))
        .isEqualTo("phalaapp.phala.cloud/" + APP + " restarted\n");
    assertThat(RolloutCommandsIT.spec(TestApps.app(admin, n, APP).get())).containsKey("restartAt");

    TestApps.writeStatus(
        admin,
        n,
        APP,
        Map.of("phase", "Halted", "rollout", Map.of("failedRevision", "r2", "action", "Halted")));
    assertThat(run(doc("rollout retry"))).isEqualTo("phalaapp.phala.cloud/" + APP + " retried\n");
    assertThat(RolloutCommandsIT.rollout(TestApps.app(admin, n, APP).get())).containsKey("retryAt");

    TestApps.writeStatus(admin, n, APP, Fixtures.historyStatus(3));
    assertThat(run(doc("rollout history " + APP + "\n")))
        .contains("REVISION   ROLLED OUT", "\n3   ", "\n2   ", "\n1   ", "Current revision: 3");
    assertThat(run(doc("--revision=1")))
        .startsWith("phalaapp.phala.cloud/" + APP + " with revision #1\n");
    assertThat(run(doc("rollout undo " + APP + "\n")))
        .startsWith("phalaapp.phala.cloud/" + APP + " rolled back to revision 2");
    assertThat(pinned(admin, n)).isEqualTo(2);
    assertThat(run(doc("--to-revision=1")))
        .startsWith("phalaapp.phala.cloud/" + APP + " rolled back to revision 1");
    assertThat(pinned(admin, n)).isEqualTo(1);
    assertThat(run(doc("rollout unpin"))).contains(" unpinned");
    assertThat(pinned(admin, n)).isNull();

    assertThat(ran)
        .as("every command of these sections ran, and nothing else counted as one")
        .containsExactlyInAnyOrderElementsOf(new LinkedHashSet<>(documented));
  }

  private static Object pinned(KubernetesClient admin, String n) {
    return RolloutCommandsIT.rollout(TestApps.app(admin, n, APP).get()).get("pinnedRevision");
  }

  /** The one documented line containing {@code marker} (a trailing newline: ending there). */
  private String doc(String marker) {
    List<String> matching =
        documented.stream().filter(line -> (line + "\n").contains(marker)).toList();
    assertThat(matching).as("docs/kubectl-plugin.md has one command with %s", marker).hasSize(1);
    return matching.get(0);
  }

  private String run(String command) {
    ran.add(command);
    return user.ok(command);
  }
}
