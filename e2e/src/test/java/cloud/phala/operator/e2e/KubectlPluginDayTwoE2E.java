package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.app.OperatorRuntime;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.hooks.FaultRule;
import cloud.phala.operator.testsupport.Command;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * kubectl phala's restart, retry, history, undo and unpin end to end: the real kubectl, the plugin
 * as packaged, the real operator and the simulator, on examples/payments; rollout status follows
 * each to the end and the CVMs show the effect.
 */
@KubeApiTest
class KubectlPluginDayTwoE2E {
  private static final String APP = "payments-api";
  private static final int REPLICAS = 3;

  @Test
  void restartRetryHistoryUndoAndUnpin_reachTheCvms_andRolloutStatusFollowsEach(
      KubernetesClient admin, KubeApiServerHandle server, TestNamespace ns) throws Exception {
    UserShell user =
        UserShell.in(ExampleGuide.REPOSITORY, server, ns.name(), List.of(PluginGuide.unpacked()));
    String n = ns.name();
    String status = "kubectl phala rollout status " + APP + " --timeout=2m";

    try (PhalaSimulator simulator = Fixtures.fastSimulator();
        OperatorRuntime operator =
            OperatorRuntime.start(Fixtures.operatorConfig(ns, simulator), admin)) {
      Fixtures.secret(admin, n, "phala-api", Map.of("apiKey", simulator.apiKey()));
      user.run("kubectl apply -f examples/payments/");
      user.run(status);
      String appId = Fixtures.get(admin, n, APP).getStatus().appId;
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> Fixtures.get(admin, n, APP).getStatus(),
              s -> Integer.valueOf(1).equals(s.revision));

      // A second revision: history names the changed key, never its value.
      editSecret(admin, n, "TOKEN", "tok_daytwo_second");
      assertThat(user.run(status)).contains("successfully rolled out");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> Fixtures.get(admin, n, APP).getStatus(),
              s -> Integer.valueOf(2).equals(s.revision));
      String history = user.run("kubectl phala rollout history " + APP);
      assertThat(history)
          .contains("REVISION   ROLLED OUT", "Current revision: 2")
          .doesNotContain("tok_daytwo_second");
      assertThat(history.lines().filter(l -> l.startsWith("2 ")))
          .singleElement()
          .asString()
          .endsWith("API_TOKEN");

      // Undo: back to revision 1's env on every CVM; unpin: forward to the Secrets' again.
      assertThat(user.run("kubectl phala rollout undo " + APP))
          .startsWith("phalaapp.phala.cloud/" + APP + " rolled back to revision 1");
      assertThat(user.run(status)).contains("successfully rolled out (revision 1)");
      assertThat(everyCvmBooted(simulator, admin, n, "tok_demo_first"))
          .as("every CVM booted with the expected API_TOKEN")
          .isTrue();
      assertThat(user.run("kubectl phala rollout unpin " + APP)).contains("unpinned");
      assertThat(user.run(status)).contains("successfully rolled out (revision 2)");
      assertThat(everyCvmBooted(simulator, admin, n, "tok_daytwo_second"))
          .as("every CVM booted with the expected API_TOKEN")
          .isTrue();

      // Restart: every CVM boots once more, and rollout status waits for it.
      Map<String, Integer> before = boots(simulator, appId);
      assertThat(user.run("kubectl phala rollout restart " + APP)).endsWith(" restarted\n");
      assertThat(user.run(status)).contains("successfully rolled out");
      PhalaAppStatus restarted = Fixtures.get(admin, n, APP).getStatus();
      assertThat(restarted.restartedAt).isEqualTo(Fixtures.get(admin, n, APP).getSpec().restartAt);
      before.forEach(
          (cvm, count) ->
              assertThat(boots(simulator, appId).get(cvm)).as("CVM %s", cvm).isEqualTo(count + 1));

      // Retry: a halted rollout, then retried after the fault is gone.
      simulator
          .faults()
          .add(
              new FaultRule(
                  null, FaultRule.Kind.BOOT_FAIL, null, null, null, 1.0, 1, 0, Duration.ZERO));
      editSecret(admin, n, "TOKEN", "tok_daytwo_third");
      Command.Result halted = user.attempt(status);
      assertThat(halted.exitCode()).isEqualTo(1);
      assertThat(halted.output()).contains("rollout failed");
      assertThat(user.run("kubectl phala rollout retry " + APP)).endsWith(" retried\n");
      assertThat(user.run(status)).contains("successfully rolled out");
      assertThat(everyCvmBooted(simulator, admin, n, "tok_daytwo_third"))
          .as("every CVM booted with the expected API_TOKEN")
          .isTrue();
    }
  }

  private static void editSecret(KubernetesClient admin, String n, String key, String value) {
    admin
        .secrets()
        .inNamespace(n)
        .withName("payments-keys")
        .edit(s -> new SecretBuilder(s).addToStringData(key, value).build());
  }

  /** Compares without printing a value. */
  private static boolean everyCvmBooted(
      PhalaSimulator simulator, KubernetesClient admin, String n, String token) {
    PhalaAppStatus status = Fixtures.get(admin, n, APP).getStatus();
    assertThat(status.cvms).hasSize(REPLICAS);
    return status.cvms.stream()
        .allMatch(c -> token.equals(Fixtures.booted(simulator, c.cvmId).get("API_TOKEN")));
  }

  private static Map<String, Integer> boots(PhalaSimulator simulator, String appId) {
    return simulator.world().listApp(appId).stream()
        .collect(Collectors.toMap(c -> c.vmUuid().toString(), CvmSnapshot::boots));
  }
}
