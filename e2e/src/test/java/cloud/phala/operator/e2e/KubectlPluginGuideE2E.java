package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.app.OperatorRuntime;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.testsupport.Command;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs docs/kubectl-plugin.md with the real kubectl, the plugin as the build packaged it, the real
 * operator and the Phala Cloud simulator: the install commands in a clone of the repository, and
 * the follow, pause and resume commands on examples/payments, asserting what the page says. The
 * restart, retry and undo sections are run by kubectl-plugin's KubectlPluginGuideIT; once the
 * operator acts on those fields, their end-to-end cases belong here, next to pause and resume.
 */
@KubeApiTest
class KubectlPluginGuideE2E {
  private static final String APP = "payments-api";
  private static final int REPLICAS = 3;
  private static final String LOCAL_REPOSITORY = System.getProperty("phala.maven.repo.local");

  private final List<String> documented = new ArrayList<>();
  private final Set<String> ran = new LinkedHashSet<>();
  private UserShell user;

  @Test
  void followPauseAndResume_asWritten_withTheOperatorAndTheSimulator(
      KubernetesClient admin, KubeApiServerHandle server, TestNamespace ns) throws Exception {
    Map<String, List<String>> sections = PluginGuide.commands();
    documented.addAll(sections.get("Follow a rollout"));
    documented.addAll(sections.get("Pause and resume"));
    user =
        UserShell.in(ExampleGuide.REPOSITORY, server, ns.name(), List.of(PluginGuide.unpacked()));
    String n = ns.name();

    try (PhalaSimulator simulator = Fixtures.fastSimulator();
        OperatorRuntime operator =
            OperatorRuntime.start(Fixtures.operatorConfig(ns, simulator), admin)) {
      Fixtures.secret(admin, n, "phala-api", Map.of("apiKey", simulator.apiKey()));

      // Follow a rollout: the first deploy, followed from the apply.
      run(doc("kubectl apply"));
      String followed = run(doc("rollout status"));
      PhalaApp deployed = Fixtures.get(admin, n, APP);
      assertThat(deployed.getStatus().updatedReplicas)
          .as("rollout status returned once every replica ran the revision")
          .isEqualTo(REPLICAS);
      assertThat(followed.lines().toList())
          .last()
          .asString()
          .startsWith("phalaapp \"" + APP + "\" successfully rolled out");
      // Whether it printed progress lines first depends on how fast the simulator's CVMs boot;
      // ReadCommandsIT proves the lines on a rollout it steps through.
      String appId = deployed.getStatus().appId;

      String got = run(doc("phala get"));
      assertThat(got).contains("Status:     Ready\n", "3 desired, 3 current, 3 updated, 3 serving");
      for (PhalaAppStatus.CvmStatus cvm : deployed.getStatus().cvms) {
        assertThat(got.lines().filter(l -> l.startsWith(cvm.name + " ")))
            .singleElement()
            .asString()
            .contains(cvm.cvmId, "running", "yes");
      }
      assertThat(got).contains("Events:", "Normal", "Created");

      // Pause: a Secret change waits, and rollout status says why.
      assertThat(run(doc("rollout pause"))).isEqualTo("phalaapp.phala.cloud/" + APP + " paused\n");
      Map<String, Integer> bootsBeforePause = boots(simulator, appId);
      String first = deployed.getStatus().envRevision;
      admin
          .secrets()
          .inNamespace(n)
          .withName("payments-keys")
          .edit(s -> new SecretBuilder(s).addToStringData("TOKEN", "tok_plugin_second").build());
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Fixtures.get(admin, n, APP).getStatus(), s -> !first.equals(s.envRevision));
      Command.Result whilePaused =
          user.attempt("kubectl phala rollout status " + APP + " --timeout=3s");
      assertThat(whilePaused.exitCode()).as("a timeout exits 1").isEqualTo(1);
      assertThat(whilePaused.output())
          .contains(
              "Rollout is paused: 0 of 3 updated replicas (kubectl phala rollout resume "
                  + APP
                  + ")",
              "error: timed out waiting for the rollout of phalaapp \"" + APP + "\" to finish");
      assertThat(boots(simulator, appId))
          .as("no CVM restarted while paused")
          .isEqualTo(bootsBeforePause);

      // Resume: the change made meanwhile rolls out, and rollout status follows it to the end.
      assertThat(run(doc("rollout resume")))
          .isEqualTo("phalaapp.phala.cloud/" + APP + " resumed\n");
      String resumed = run(doc("rollout status"));
      assertThat(resumed).contains("successfully rolled out");
      PhalaAppStatus done = Fixtures.get(admin, n, APP).getStatus();
      assertThat(done.envRevision).isNotEqualTo(first);
      assertThat(done.updatedReplicas).isEqualTo(REPLICAS);
      for (PhalaAppStatus.CvmStatus cvm : done.cvms) {
        assertThat(
                "tok_plugin_second".equals(Fixtures.booted(simulator, cvm.cvmId).get("API_TOKEN")))
            .as("CVM %s booted with the new API_TOKEN", cvm.name)
            .isTrue();
      }
      assertThat(resumed).doesNotContain("tok_plugin_second");
    }

    assertThat(ran)
        .as("every command of these sections ran, and nothing else counted as one")
        .containsExactlyInAnyOrderElementsOf(new LinkedHashSet<>(documented));
  }

  @Test
  void theInstallCommands_inACloneOfTheRepository_putKubectlPhalaOnThePath(
      KubeApiServerHandle server) throws Exception {
    assertThat(LOCAL_REPOSITORY).as("phala.maven.repo.local, set by e2e/pom.xml").isNotBlank();
    List<String> install = PluginGuide.commands().get("Install");
    assertThat(install.get(0)).startsWith("./mvnw ");
    Path work = Files.createTempDirectory("phala-plugin-install-");
    Path clone = work.resolve("repo");
    Command.run(
            Duration.ofMinutes(1),
            List.of(
                "git",
                "clone",
                "--quiet",
                "--depth",
                "1",
                "file://" + ExampleGuide.REPOSITORY,
                clone.toString()))
        .requireSuccess();
    Path home = Files.createDirectories(work.resolve("home"));
    // Offline, with this build's local repository and Maven (see ImageBuildE2E); the rest as
    // written, in a HOME of its own.
    String script =
        install.get(0)
            + " -o -Dmaven.repo.local=\"$MAVEN_REPO\"\n"
            + String.join("\n", install.subList(1, install.size()))
            + "\nkubectl phala --help";

    Command.Result result =
        Command.run(
            Duration.ofMinutes(10),
            List.of(
                "bash",
                "-c",
                "set -euo pipefail; cd \"$1\"; export HOME=\"$2\" KUBECONFIG=\"$3\""
                    + " MAVEN_USER_HOME=\"$4\" MAVEN_REPO=\"$5\" PATH=\"$2/.local/bin:$6:$PATH\""
                    + " PHALA_K8S_CACHE=\"$7\"; "
                    + script,
                "install",
                clone.toString(),
                home.toString(),
                server.kubeConfigFile().toString(),
                Path.of(System.getProperty("user.home"), ".m2").toString(),
                LOCAL_REPOSITORY,
                server.binaries().kubectl().getParent().toString(),
                // the user's cache of Kubernetes binaries, which the build reuses
                System.getenv()
                    .getOrDefault(
                        "PHALA_K8S_CACHE",
                        System.getProperty("user.home") + "/.cache/phala-operator/k8s")));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .as("kubectl plugin list finds it")
        .contains(home.resolve(".local/bin/kubectl-phala").toString())
        .contains("kubectl phala rollout status NAME");
    assertThat(Files.isSymbolicLink(home.resolve(".local/bin/kubectl-phala"))).isTrue();
  }

  /** The one documented command line that contains {@code marker}. */
  private String doc(String marker) {
    List<String> matching = documented.stream().filter(line -> line.contains(marker)).toList();
    assertThat(matching).as("docs/kubectl-plugin.md has one command with %s", marker).hasSize(1);
    return matching.get(0);
  }

  private String run(String command) {
    assertThat(documented).contains(command);
    ran.add(command);
    return user.run(command);
  }

  private static Map<String, Integer> boots(PhalaSimulator simulator, String appId) {
    return simulator.world().listApp(appId).stream()
        .collect(Collectors.toMap(c -> c.vmUuid().toString(), CvmSnapshot::boots));
  }
}
