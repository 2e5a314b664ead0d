package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.crd.AttestationPolicy;
import cloud.phala.operator.crd.EnvVarSource;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Rollout;
import cloud.phala.operator.simulator.hooks.FaultRule;
import cloud.phala.operator.simulator.http.RequestLog;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * spec.attestation against the real API server and the simulator's attestations (signed by its test
 * root, verified by its POST /attestations/verify): Required completes a clean rollout and halts on
 * each forged part and on an unavailable attestation; with Rollback it moves a CVM that failed
 * attestation back within maxUnavailable 1; Observe reports without gating; at rest nothing is read
 * again; no env value reaches status or Events.
 */
@KubeApiTest
class AttestationIT {
  private static final String CANARY = "canary-5e1d0b-do-not-leak-attest";
  private static OperatorFixture fixture;
  private static LogCapture logs;

  @BeforeAll
  static void start(KubernetesClient client, TestNamespace ns) {
    logs = new LogCapture();
    fixture = OperatorFixture.start(client, ns.name(), Duration.ofMillis(400));
  }

  @AfterAll
  static void stop() {
    fixture.close();
    logs.close();
  }

  @AfterEach
  void clearFaults() {
    fixture.simulator.faults().clear();
    pin = a -> {};
  }

  /** Pins set on the next app's spec.attestation. */
  private static java.util.function.Consumer<AttestationPolicy> pin = a -> {};

  @Test
  void required_aCleanRolloutCompletes_everyCvmVerified_andAtRestNothingIsReadAgain(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = app(client, ns, "clean", AttestationPolicy.Mode.Required, "10m");
    PhalaAppStatus first = apps.awaitStatus("clean", AttestationIT::attestedAndAtRest);
    apps.secret("clean-api", Map.of("token", CANARY + "-2"));

    PhalaAppStatus rolled =
        apps.awaitStatus(
            "clean", s -> !first.envRevision.equals(s.envRevision) && attestedAndAtRest(s));

    assertThat(rolled.cvms)
        .hasSize(2)
        .allSatisfy(
            c -> {
              assertThat(c.attestation.verdict).isEqualTo("Verified");
              assertThat(c.attestation.boot).isEqualTo(c.runningSince);
              assertThat(c.attestation.instanceId)
                  .isEqualTo(fixture.simulator.world().get(c.cvmId).instanceId());
            });
    assertThat(rolled.rollout.lastGoodRevision).isEqualTo(rolled.envRevision);
    long reads = attestationRequests();
    await()
        .during(Duration.ofMillis(2000))
        .atMost(Duration.ofSeconds(10))
        .until(() -> attestationRequests() == reads);
    assertThat(Serialization.asJson(apps.get("clean").getStatus())).doesNotContain(CANARY);
    assertThat(Serialization.asJson(client.v1().events().inNamespace(ns.name()).list()))
        .doesNotContain(CANARY);
    assertThat(logs.text()).doesNotContain(CANARY);
  }

  @Test
  void required_aForgedComposeHash_haltsTheRollout(KubernetesClient client, TestNamespace ns) {
    haltsOn(
        client,
        ns,
        "forged",
        FaultRule.Kind.ATTESTATION_WRONG_COMPOSE_HASH,
        "COMPOSE_HASH_MATCHES");
  }

  @Test
  void required_anRtmr3Mismatch_haltsTheRollout(KubernetesClient client, TestNamespace ns) {
    haltsOn(client, ns, "replay", FaultRule.Kind.ATTESTATION_RTMR3_MISMATCH, "RTMR3_REPLAYS");
  }

  @Test
  void required_aBadQuote_haltsTheRollout(KubernetesClient client, TestNamespace ns) {
    haltsOn(client, ns, "quote", FaultRule.Kind.ATTESTATION_BAD_QUOTE, "QUOTE_VERIFIED");
  }

  @Test
  void required_anotherInstancesEvidence_failsInstanceMatches_andHaltsTheRollout(
      KubernetesClient client, TestNamespace ns) {
    haltsOn(
        client,
        ns,
        "other-instance",
        FaultRule.Kind.ATTESTATION_OTHER_INSTANCE,
        "INSTANCE_MATCHES");
  }

  @Test
  void required_withItsKmsPinned_aCvmKeyedByAnotherKms_failsKmsPinned_andHaltsTheRollout(
      KubernetesClient client, TestNamespace ns) {
    pin = a -> a.kmsIdentity = fixture.simulator.world().kms().caIdentity();
    haltsOn(client, ns, "other-kms", FaultRule.Kind.ATTESTATION_OTHER_KMS, "KMS_PINNED");
  }

  @Test
  void required_anOutOfDateTcb_haltsTheRollout(KubernetesClient client, TestNamespace ns) {
    haltsOn(client, ns, "tcb", FaultRule.Kind.TCB_OUT_OF_DATE, null, "TCB_ACCEPTED");
  }

  @Test
  void required_withRollback_theCvmMovedBackFailingAttestation_failsTheRollback(
      KubernetesClient client, TestNamespace ns) {
    Apps apps =
        app(
            client,
            ns,
            "back",
            AttestationPolicy.Mode.Required,
            "10m",
            r -> r.onFailure = Rollout.OnFailure.Rollback);
    PhalaAppStatus ready =
        apps.awaitStatus(
            "back",
            s -> attestedAndAtRest(s) && s.rollout != null && s.rollout.rollbackRecord != null);
    // the CVM given the new revision fails to boot; moved back to the last good one, it boots but
    // fails attestation: the last CVM moved back, so the rollback is over only once it verifies
    fault(FaultRule.Kind.BOOT_FAIL, 1);
    fault(FaultRule.Kind.ATTESTATION_WRONG_COMPOSE_HASH, 1);
    apps.secret("back-api", Map.of("token", CANARY + "-2"));

    PhalaAppStatus halted = apps.awaitStatus("back", s -> "Halted".equals(s.phase));

    assertThat(halted.rollout.failure)
        .contains("the rollback failed too", "of revision " + ready.envRevision)
        .contains("COMPOSE_HASH_MATCHES");
    assertThat(condition(halted, "Degraded").getReason()).isEqualTo("RolloutHalted");
    assertThat(halted.cvms)
        .as("the replica never moved keeps serving the last good revision")
        .anyMatch(
            c ->
                ready.envRevision.equals(c.envRevision)
                    && "running".equals(c.phase)
                    && "Verified".equals(c.attestation.verdict));
    assertThat(Serialization.asJson(halted)).doesNotContain(CANARY);
  }

  @Test
  void required_withRollback_maxUnavailable1_aCvmServingTheFailedRevision_isMovedBack(
      KubernetesClient client, TestNamespace ns) {
    Apps apps =
        app(
            client,
            ns,
            "stall",
            3,
            AttestationPolicy.Mode.Required,
            "10m",
            r -> {
              r.onFailure = Rollout.OnFailure.Rollback;
              r.maxUnavailable = new IntOrString(1);
              r.maxSurge = new IntOrString(0);
            });
    PhalaAppStatus ready =
        apps.awaitStatus(
            "stall",
            s -> attestedAndAtRest(s, 3) && s.rollout != null && s.rollout.rollbackRecord != null);
    // the CVM given the new revision boots and serves, but fails attestation: it never counts as
    // available, and the other two are the floor
    fault(FaultRule.Kind.ATTESTATION_WRONG_COMPOSE_HASH, 1);
    apps.secret("stall-api", Map.of("token", CANARY + "-2"));

    PhalaAppStatus rolledBack =
        apps.awaitStatus(
            "stall",
            s ->
                !ready.envRevision.equals(s.envRevision)
                    && s.rollout != null
                    && "RolledBack".equals(s.rollout.action)
                    && Apps.condition(s, "Progressing", "False"));

    assertThat(rolledBack.rollout.failure).contains("failed attestation", "COMPOSE_HASH_MATCHES");
    assertThat(rolledBack.cvms)
        .hasSize(3)
        .allSatisfy(
            c -> {
              assertThat(c.envRevision).isEqualTo(ready.envRevision);
              assertThat(c.phase).isEqualTo("running");
              assertThat(c.attestation.verdict).isEqualTo("Verified");
            });
    assertThat(Apps.minServingOnceAllServed(fixture.simulator.world().timeline(ready.appId), 3))
        .as("maxUnavailable 1: at least 2 of 3 served throughout")
        .isGreaterThanOrEqualTo(2);
    assertThat(Serialization.asJson(rolledBack)).doesNotContain(CANARY);
  }

  @Test
  void required_anUnavailableAttestation_haltsTheRolloutAtReadyTimeout(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = app(client, ns, "absent", AttestationPolicy.Mode.Required, "3s");
    PhalaAppStatus ready = apps.awaitStatus("absent", AttestationIT::attestedAndAtRest);
    fault(FaultRule.Kind.ATTESTATION_UNAVAILABLE, 1000);
    apps.secret("absent-api", Map.of("token", CANARY + "-2"));

    PhalaAppStatus halted = apps.awaitStatus("absent", s -> "Halted".equals(s.phase));

    assertThat(halted.envRevision).isNotEqualTo(ready.envRevision);
    assertThat(halted.rollout.failure).contains("not attested within readyTimeout", "Unavailable");
    assertThat(condition(halted, "Attested").getReason()).isEqualTo("AttestationUnavailable");
    assertThat(halted.cvms)
        .as("the replica still on the old revision keeps serving")
        .anyMatch(c -> ready.envRevision.equals(c.envRevision) && "running".equals(c.phase));
  }

  @Test
  void observe_reportsAForgedComposeHash_withoutGatingTheRollout(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = app(client, ns, "watched", AttestationPolicy.Mode.Observe, "10m");
    PhalaAppStatus ready = apps.awaitStatus("watched", AttestationIT::attestedAndAtRest);
    fault(FaultRule.Kind.ATTESTATION_WRONG_COMPOSE_HASH, 1);
    apps.secret("watched-api", Map.of("token", CANARY + "-2"));

    PhalaAppStatus rolled =
        apps.awaitStatus(
            "watched",
            s ->
                !ready.envRevision.equals(s.envRevision)
                    && Apps.upToDate(s, 2)
                    && Apps.condition(s, "Progressing", "False"));

    assertThat(condition(rolled, "Attested").getReason()).isEqualTo("AttestationFailed");
    assertThat(condition(rolled, "Attested").getMessage()).contains("COMPOSE_HASH_MATCHES");
    assertThat(rolled.rollout.failedRevision).isNull();
    assertThat(rolled.cvms).anyMatch(c -> "Failed".equals(c.attestation.verdict));
    assertThat(client.v1().events().inNamespace(ns.name()).list().getItems())
        .anyMatch(
            e ->
                "AttestationFailed".equals(e.getReason())
                    && e.getInvolvedObject().getName().equals("watched"));
  }

  @Test
  void dstack_withoutTheOperatorWideUrl_isVerifierNotConfigured_andNothingIsRead(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("lacking-api", Map.of("token", CANARY + "-1"));
    apps.create(
        "lacking",
        1,
        spec -> {
          spec.env = List.<EnvVarSource>of(Apps.fromSecret("API_TOKEN", "lacking-api", "token"));
          spec.attestation = new AttestationPolicy();
          spec.attestation.mode = AttestationPolicy.Mode.Observe;
          spec.attestation.verifier = AttestationPolicy.Verifier.DSTACK;
        });

    PhalaAppStatus reported =
        apps.awaitStatus(
            "lacking",
            s ->
                Apps.upToDate(s, 1)
                    && Apps.condition(s, "Attested", "False")
                    && s.cvms.get(0).attestation != null);

    assertThat(condition(reported, "Attested").getReason()).isEqualTo("VerifierNotConfigured");
    assertThat(condition(reported, "Attested").getMessage())
        .contains("VERIFIER_NOT_CONFIGURED", "DSTACK_VERIFIER_URL");
    assertThat(reported.cvms.get(0).attestation.verdict).isEqualTo("Error");
    String cvm = reported.cvms.get(0).cvmId;
    assertThat(fixture.simulator.requestLog().entries())
        .as("the CVM's attestation is not read for a verifier the operator lacks")
        .noneMatch(e -> e.path().endsWith("/" + cvm + "/attestation"));
    assertThat(client.v1().events().inNamespace(ns.name()).list().getItems())
        .anyMatch(
            e ->
                "VerifierNotConfigured".equals(e.getReason())
                    && e.getInvolvedObject().getName().equals("lacking"));
  }

  private void haltsOn(
      KubernetesClient client, TestNamespace ns, String name, FaultRule.Kind kind, String step) {
    haltsOn(client, ns, name, kind, 1, step);
  }

  /** A {@code count} of null: the fault holds for every later read (a TCB status, say). */
  private void haltsOn(
      KubernetesClient client,
      TestNamespace ns,
      String name,
      FaultRule.Kind kind,
      Integer count,
      String step) {
    Apps apps = app(client, ns, name, AttestationPolicy.Mode.Required, "10m");
    PhalaAppStatus ready = apps.awaitStatus(name, AttestationIT::attestedAndAtRest);
    fault(kind, count);
    apps.secret(name + "-api", Map.of("token", CANARY + "-2"));

    PhalaAppStatus halted = apps.awaitStatus(name, s -> "Halted".equals(s.phase));

    assertThat(halted.rollout.failure).contains("failed attestation", step);
    assertThat(condition(halted, "Degraded").getReason()).isEqualTo("RolloutHalted");
    assertThat(condition(halted, "Attested").getReason()).isEqualTo("AttestationFailed");
    assertThat(halted.cvms)
        .as("one replica got the new revision; the other still serves the old one")
        .anyMatch(c -> ready.envRevision.equals(c.envRevision) && "running".equals(c.phase));
    assertThat(Serialization.asJson(halted)).doesNotContain(CANARY);
    assertThat(logs.text()).as("the operator's and simulator's logs").doesNotContain(CANARY);
  }

  private static Apps app(
      KubernetesClient client,
      TestNamespace ns,
      String name,
      AttestationPolicy.Mode mode,
      String readyTimeout) {
    return app(client, ns, name, mode, readyTimeout, r -> {});
  }

  private static Apps app(
      KubernetesClient client,
      TestNamespace ns,
      String name,
      AttestationPolicy.Mode mode,
      String readyTimeout,
      java.util.function.Consumer<Rollout> rollout) {
    return app(client, ns, name, 2, mode, readyTimeout, rollout);
  }

  private static Apps app(
      KubernetesClient client,
      TestNamespace ns,
      String name,
      int replicas,
      AttestationPolicy.Mode mode,
      String readyTimeout,
      java.util.function.Consumer<Rollout> rollout) {
    Apps apps = new Apps(client, ns.name());
    apps.secret(name + "-api", Map.of("token", CANARY + "-1"));
    apps.create(
        name,
        replicas,
        spec -> {
          spec.env = List.<EnvVarSource>of(Apps.fromSecret("API_TOKEN", name + "-api", "token"));
          spec.rollout = new Rollout();
          spec.rollout.readyTimeout = readyTimeout;
          rollout.accept(spec.rollout);
          spec.attestation = new AttestationPolicy();
          spec.attestation.mode = mode;
          pin.accept(spec.attestation);
        });
    return apps;
  }

  private static boolean attestedAndAtRest(PhalaAppStatus s) {
    return attestedAndAtRest(s, 2);
  }

  private static boolean attestedAndAtRest(PhalaAppStatus s, int replicas) {
    return Apps.upToDate(s, replicas)
        && Apps.condition(s, "Progressing", "False")
        && Apps.condition(s, "Attested", "True");
  }

  private static long attestationRequests() {
    return fixture.simulator.requestLog().entries().stream()
        .map(RequestLog.Entry::path)
        .filter(
            p ->
                p.endsWith("/attestation")
                    || p.endsWith("/attestations/verify")
                    || p.endsWith("/attestations/tcb-evaluation"))
        .count();
  }

  private static void fault(FaultRule.Kind kind, Integer count) {
    fixture
        .simulator
        .faults()
        .add(new FaultRule(null, kind, null, null, null, 1.0, count, 0, Duration.ZERO));
  }

  private static Condition condition(PhalaAppStatus status, String type) {
    return status.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().get();
  }
}
