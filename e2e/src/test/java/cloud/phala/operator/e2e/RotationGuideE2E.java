package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.app.OperatorRuntime;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.cloud.AppRevision;
import cloud.phala.operator.simulator.cloud.AvailabilityPoint;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.hooks.FaultRule;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs docs/rotation.md against examples/payments: every command of its shell blocks, each at the
 * point of a pause, a failed rollout and its recovery where it makes sense, asserting what the page
 * says it does. Values are compared without printing them.
 */
@KubeApiTest
class RotationGuideE2E {
  private static final String APP = "payments-api";
  private static final int REPLICAS = 3;

  /** replicas - maxUnavailable in examples/payments. */
  private static final int FLOOR = 2;

  private final List<String> documented = new ArrayList<>();
  private final Set<String> ran = new LinkedHashSet<>();
  private UserShell user;

  @Test
  void theRotationGuide_pausesAndResumes_haltsOnABootFailure_andRecoversAsWritten(
      KubernetesClient admin, KubeApiServerHandle server, TestNamespace ns) throws Exception {
    documented.addAll(
        DocBlocks.shellLines(
            Files.readString(ExampleGuide.REPOSITORY.resolve("docs/rotation.md"))));
    user = UserShell.in(ExampleGuide.REPOSITORY, server, ns.name());
    String n = ns.name();

    try (PhalaSimulator simulator = Fixtures.fastSimulator();
        OperatorRuntime operator =
            OperatorRuntime.start(Fixtures.operatorConfig(ns, simulator), admin)) {
      Fixtures.secret(admin, n, "phala-api", Map.of("apiKey", simulator.apiKey()));
      user.run("kubectl apply -f examples/payments/");

      // Watch a rotation: the first deploy.
      PhalaApp deployed = Fixtures.awaitReady(admin, n, APP, REPLICAS, null);
      String first = deployed.getStatus().envRevision;
      String appId = deployed.getStatus().appId;
      watched("Ready", deployed.getStatus());
      assertThat(run(doc("kubectl describe")))
          .contains("AllReplicasReady", "Converged", "NoFailures", first);
      assertThat(run(doc("kubectl get events"))).contains("Created", appId);

      // Pausing: a Secret change while paused moves status.envRevision, and no CVM.
      run(doc("\"paused\":true"));
      awaitStatus(admin, n, s -> has(s, "Progressing", "False", "Paused"));
      Map<String, Integer> bootsBeforePause = boots(simulator, appId);
      String database = "postgres://payments:second-password@db.internal:5432/payments";
      editSecret(admin, n, "payments-db", "url", database);
      PhalaAppStatus paused =
          awaitStatus(
              admin,
              n,
              s -> !first.equals(s.envRevision) && has(s, "Progressing", "False", "Paused"));
      assertThat(condition(paused, "Progressing").getMessage())
          .as("Paused says how many replicas run the desired revision")
          .contains("0/" + REPLICAS + " replicas run revision " + paused.envRevision);
      // several passes at PROGRESS_POLL 0.3s, all of them paused
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> Fixtures.get(admin, n, APP).getStatus(),
              s -> has(s, "Progressing", "False", "Paused"));
      PhalaAppStatus stillPaused = Fixtures.get(admin, n, APP).getStatus();
      assertThat(stillPaused.envRevision).isEqualTo(paused.envRevision);
      assertThat(has(stillPaused, "Progressing", "False", "Paused")).isTrue();
      assertThat(stillPaused.cvms).allMatch(c -> first.equals(c.envRevision));
      assertThat(boots(simulator, appId))
          .as("no CVM is restarted while paused")
          .isEqualTo(bootsBeforePause);
      assertThat(simulator.world().listApp(appId))
          .hasSize(REPLICAS)
          .allMatch(c -> "running".equals(c.status()));
      assertThat(run(doc("kubectl describe"))).contains("Paused", paused.envRevision);

      Instant resumedAt = Instant.now();
      run(doc("\"paused\":false"));
      PhalaApp resumed = Fixtures.awaitReady(admin, n, APP, REPLICAS, first);
      String second = resumed.getStatus().envRevision;
      assertThat(second)
          .as("the change made while paused is what rolls out on resume")
          .isEqualTo(paused.envRevision);
      watched("Ready", resumed.getStatus());
      assertEveryCvmBooted(simulator, resumed.getStatus(), "DATABASE_URL", database);
      assertFloorHeld(simulator, appId, resumedAt);

      // A failed rollout: the next boot fails, with onFailure Halt (the default).
      Map<String, Integer> bootsBeforeFailure = boots(simulator, appId);
      simulator
          .faults()
          .add(
              new FaultRule(
                  null, FaultRule.Kind.BOOT_FAIL, null, null, null, 1.0, 1, 0, Duration.ZERO));
      editSecret(admin, n, "payments-keys", "TOKEN", "tok_demo_broken");
      PhalaAppStatus halted = awaitStatus(admin, n, s -> "Halted".equals(s.phase));
      String third = halted.envRevision;
      assertThat(third).isNotEqualTo(second);
      assertThat(has(halted, "Degraded", "True", "RolloutHalted")).isTrue();
      assertThat(has(halted, "Progressing", "False", "RolloutHalted")).isTrue();
      PhalaAppStatus.CvmStatus failed =
          halted.cvms.stream()
              .filter(c -> "error".equals(simulator.world().get(c.cvmId).status()))
              .collect(Collectors.collectingAndThen(Collectors.toList(), RotationGuideE2E::only));
      CvmSnapshot failedCvm = simulator.world().get(failed.cvmId);
      String bootError = failedCvm.bootError();
      String why = run(doc("jsonpath='{.status.rollout.failure}'")).trim();
      assertThat(why)
          .as("the failure names the CVM, the revision and Phala Cloud's boot error")
          .contains("CVM " + failed.cvmId, "failed to boot revision " + third, bootError)
          .isEqualTo(halted.rollout.failure);
      assertThat(halted.updatedReplicas)
          .as("UP-TO-DATE counts the replicas on the desired revision: the failed one is down")
          .isZero();
      assertThat(halted.ready)
          .as("READY counts the replicas serving: all but the failed one, on the old revision")
          .isEqualTo((REPLICAS - 1) + "/" + REPLICAS);
      watched("Halted", halted);
      assertThat(run(doc("kubectl get events")))
          .as("a RolloutHalted Warning Event naming the CVM and the boot error")
          .contains("Warning", "RolloutHalted", failed.cvmId, bootError);

      // Choose a rollback for later failures: the halted revision stays halted.
      run(doc("\"onFailure\":\"Rollback\""));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> Fixtures.get(admin, n, APP),
              app -> app.getMetadata().getGeneration().equals(app.getStatus().observedGeneration));
      // several passes: a halted rollout stays halted
      await()
          .during(Duration.ofMillis(1500))
          .atMost(Duration.ofSeconds(10))
          .until(() -> Fixtures.get(admin, n, APP).getStatus(), s -> "Halted".equals(s.phase));
      PhalaAppStatus stillHalted = Fixtures.get(admin, n, APP).getStatus();
      assertThat(stillHalted.phase).isEqualTo("Halted");
      assertThat(stillHalted.updatedReplicas)
          .as("later passes, at rest, read no listing older than the halt")
          .isZero();
      assertThat(stillHalted.ready).isEqualTo(halted.ready);
      assertThat(stillHalted.rollout.action).isEqualTo("Halted");
      Map<String, Integer> bootsHalted = boots(simulator, appId);
      bootsBeforeFailure.forEach(
          (cvm, count) -> {
            if (!cvm.equals(failedCvm.vmUuid().toString())) {
              assertThat(bootsHalted.get(cvm))
                  .as("CVM %s, still on the old revision, is not touched", cvm)
                  .isEqualTo(count);
              assertThat("running".equals(simulator.world().get(cvm).status()))
                  .as("CVM %s keeps serving", cvm)
                  .isTrue();
            }
          });
      assertThat(stillHalted.rollout.rollbackRecord)
          .as("the rollback record is made once every replica runs the desired revision")
          .isNull();

      // Recovering: the documented Secret replacement.
      Instant recoveryAt = Instant.now();
      run(doc("kubectl create secret generic payments-keys"));
      PhalaApp recovered = Fixtures.awaitReady(admin, n, APP, REPLICAS, third);
      PhalaAppStatus fixed =
          awaitStatus(
              admin,
              n,
              s ->
                  recovered.getStatus().envRevision.equals(s.envRevision)
                      && "Ready".equals(s.phase));
      assertThat(has(fixed, "Degraded", "False", "NoFailures")).isTrue();
      assertThat(fixed.rollout.failedRevision).isNull();
      assertThat(fixed.cvms).extracting(c -> c.cvmId).contains(failed.cvmId);
      assertEveryCvmBooted(simulator, fixed, "API_TOKEN", "tok_demo_fixed");
      assertEveryCvmBooted(simulator, fixed, "API_WEBHOOK_SECRET", "whsec_demo_first");
      assertEveryCvmBooted(simulator, fixed, "DATABASE_URL", database);
      Instant failedUpdated = updatedAt(fixed, failed.cvmId);
      for (var cvm : fixed.cvms) {
        if (!cvm.cvmId.equals(failed.cvmId)) {
          assertThat(Instant.parse(cvm.updatedAt))
              .as("the failed CVM %s is updated before CVM %s", failed.cvmId, cvm.cvmId)
              .isAfter(failedUpdated);
        }
      }
      assertFloorHeld(simulator, appId, recoveryAt);
      watched("Ready", fixed);

      PhalaAppStatus kept =
          awaitStatus(
              admin,
              n,
              s ->
                  s.rollout.rollbackRecord != null
                      && fixed.envRevision.equals(s.rollout.lastGoodRevision));
      String phalaRevision = kept.rollout.rollbackRecord.phalaRevision;
      assertThat(run(doc("rollbackRecord.phalaRevision")).trim()).isEqualTo(phalaRevision);
      AppRevision named = simulator.world().revision(appId, phalaRevision);
      assertThat(simulator.world().listApp(appId))
          .as("the named Phala Cloud revision is the sealed env a replica booted")
          .anyMatch(c -> named.encryptedEnv().equals(c.bootedEncryptedEnv()));
      assertThat(admin.secrets().inNamespace(n).withName(APP + "-phala-rollback").get())
          .as("no Secret is written for a rollback")
          .isNull();

      // A later failure, now with onFailure Rollback: back to the last good revision.
      simulator
          .faults()
          .add(
              new FaultRule(
                  null, FaultRule.Kind.BOOT_FAIL, null, null, null, 1.0, 1, 0, Duration.ZERO));
      editSecret(admin, n, "payments-keys", "TOKEN", "tok_demo_broken_again");
      PhalaAppStatus rolledBack =
          awaitStatus(
              admin,
              n,
              s ->
                  !fixed.envRevision.equals(s.envRevision)
                      && has(s, "Progressing", "False", "RolledBack"));
      assertThat(has(rolledBack, "Degraded", "True", "RolledBack")).isTrue();
      assertThat(rolledBack.rollout.lastGoodRevision).isEqualTo(fixed.envRevision);
      assertThat(rolledBack.cvms).allMatch(c -> fixed.envRevision.equals(c.envRevision));
      assertEveryCvmBooted(simulator, rolledBack, "API_TOKEN", "tok_demo_fixed");
      assertThat(run(doc("kubectl get events")))
          .as("the failed CVM was redeployed on the recorded Phala Cloud revision")
          .contains("Redeployed", "Phala Cloud revision " + phalaRevision);
    }

    assertThat(ran)
        .as("every command of docs/rotation.md ran, and nothing else counted as one")
        .containsExactlyInAnyOrderElementsOf(new LinkedHashSet<>(documented));
  }

  /** The one documented command line that contains {@code marker}. */
  private String doc(String marker) {
    List<String> matching = documented.stream().filter(line -> line.contains(marker)).toList();
    assertThat(matching).as("docs/rotation.md has one command with %s", marker).hasSize(1);
    return matching.get(0);
  }

  /** Runs a documented command and counts it as run. */
  private String run(String command) {
    assertThat(documented).contains(command);
    ran.add(command);
    return user.run(command);
  }

  /**
   * The documented {@code --watch}, run for two seconds once the scenario has waited for the state
   * it shows: its row has the app's phase and revision number, READY counts the replicas serving
   * and UP-TO-DATE those on that revision.
   */
  private void watched(String phase, PhalaAppStatus status) {
    String revision = String.valueOf(status.revision);
    String command = doc("--watch");
    ran.add(command);
    String output = user.run("timeout 2 " + command + " || test $? -eq 124");
    List<String> rows = output.lines().filter(l -> l.startsWith(APP + " ")).toList();
    List<String> header = List.of(output.lines().findFirst().orElse("").split("\\s+"));
    assertThat(header)
        .as("columns read like a Deployment's, AGE last")
        .containsExactly("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "STATUS", "REVISION", "AGE");
    assertThat(rows).isNotEmpty();
    List<String> last = List.of(rows.get(rows.size() - 1).split("\\s+"));
    assertThat(last).hasSameSizeAs(header);
    assertThat(last.get(header.indexOf("STATUS"))).isEqualTo(phase);
    assertThat(last.get(header.indexOf("REVISION"))).isEqualTo(revision);
    if ("Ready".equals(phase)) {
      assertThat(last.get(header.indexOf("READY"))).isEqualTo(REPLICAS + "/" + REPLICAS);
      assertThat(last.get(header.indexOf("UP-TO-DATE"))).isEqualTo(String.valueOf(REPLICAS));
    }
    if ("Halted".equals(phase)) {
      assertThat(last.get(header.indexOf("UP-TO-DATE")))
          .as("no replica runs the halted revision")
          .isEqualTo("0");
      assertThat(last.get(header.indexOf("READY")))
          .as("the replicas on the old revision keep serving")
          .isEqualTo((REPLICAS - 1) + "/" + REPLICAS);
    }
  }

  private static PhalaAppStatus awaitStatus(
      KubernetesClient admin, String namespace, Predicate<PhalaAppStatus> until) {
    return await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> Fixtures.get(admin, namespace, APP).getStatus(),
            s -> s != null && s.conditions != null && s.rollout != null && until.test(s));
  }

  private static Condition condition(PhalaAppStatus status, String type) {
    return status.conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private static boolean has(PhalaAppStatus status, String type, String value, String reason) {
    return status.conditions != null
        && status.conditions.stream()
            .anyMatch(
                c ->
                    type.equals(c.getType())
                        && value.equals(c.getStatus())
                        && reason.equals(c.getReason()));
  }

  /** A kubectl-edit-like change of one key, as a user's `kubectl edit secret` would make it. */
  private static void editSecret(
      KubernetesClient admin, String namespace, String name, String key, String value) {
    admin
        .secrets()
        .inNamespace(namespace)
        .withName(name)
        .edit(s -> new SecretBuilder(s).addToStringData(key, value).build());
  }

  /** How many times each CVM of the app booted, by CVM id. */
  private static Map<String, Integer> boots(PhalaSimulator simulator, String appId) {
    return simulator.world().listApp(appId).stream()
        .collect(Collectors.toMap(c -> c.vmUuid().toString(), CvmSnapshot::boots));
  }

  /** Names the CVM and the key on failure, never the value. */
  private static void assertEveryCvmBooted(
      PhalaSimulator simulator, PhalaAppStatus status, String key, String value) {
    assertThat(status.cvms).hasSize(REPLICAS);
    assertThat(simulator.world().listApp(status.appId)).hasSize(REPLICAS);
    for (var cvm : status.cvms) {
      assertThat(value.equals(Fixtures.booted(simulator, cvm.cvmId).get(key)))
          .as("CVM %s booted with the expected %s", cvm.name, key)
          .isTrue();
    }
  }

  private static void assertFloorHeld(PhalaSimulator simulator, String appId, Instant from) {
    assertThat(simulator.world().timeline(appId))
        .as("at least %d of %d serving at every change since %s", FLOOR, REPLICAS, from)
        .filteredOn(p -> !p.at().isBefore(from))
        .extracting(AvailabilityPoint::serving)
        .allMatch(serving -> serving >= FLOOR);
  }

  private static Instant updatedAt(PhalaAppStatus status, String cvmId) {
    return Instant.parse(
        status.cvms.stream()
            .filter(c -> c.cvmId.equals(cvmId))
            .findFirst()
            .orElseThrow()
            .updatedAt);
  }

  private static <T> T only(List<T> items) {
    assertThat(items).hasSize(1);
    return items.get(0);
  }
}
