package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.AttestationPolicy;
import cloud.phala.operator.crd.EnvVarSource;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Rollout;
import cloud.phala.operator.simulator.hooks.FaultRule;
import cloud.phala.operator.simulator.http.RequestLog;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
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
 * spec.attestation.verifier dstack against the real API server, with the operator's
 * DSTACK_VERIFIER_URL at the simulator's dstack verifier stand-in: under Required a clean rollout
 * completes, verified by it alone (Phala Cloud is asked neither to verify nor for a TCB
 * evaluation); a quote it refuses, and a TCB status outside spec.attestation.tcbStatuses, halt the
 * rollout; no env value reaches status, Events or logs.
 */
@KubeApiTest
class DstackVerifierIT {
  private static final String CANARY = "canary-b41c-do-not-leak-dstack-it";
  private static OperatorFixture fixture;
  private static LogCapture logs;

  @BeforeAll
  static void start(KubernetesClient client, TestNamespace ns) {
    logs = new LogCapture();
    fixture =
        OperatorFixture.start(
            client,
            ns.name(),
            Duration.ofMillis(400),
            ns.name(),
            simulator -> Map.of("DSTACK_VERIFIER_URL", simulator.dstackVerifierUrl()));
  }

  @AfterAll
  static void stop() {
    fixture.close();
    logs.close();
  }

  @AfterEach
  void clearFaults() {
    fixture.simulator.faults().clear();
  }

  @Test
  void required_aCleanRolloutCompletes_verifiedByTheDstackVerifierAlone(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = app(client, ns, "clean");
    PhalaAppStatus first = apps.awaitStatus("clean", DstackVerifierIT::attestedAndAtRest);
    apps.secret("clean-api", Map.of("token", CANARY + "-2"));

    PhalaAppStatus rolled =
        apps.awaitStatus(
            "clean", s -> !first.envRevision.equals(s.envRevision) && attestedAndAtRest(s));

    assertThat(rolled.cvms)
        .hasSize(2)
        .allSatisfy(c -> assertThat(c.attestation.verdict).isEqualTo("Verified"));
    assertThat(rolled.rollout.lastGoodRevision).isEqualTo(rolled.envRevision);
    assertThat(condition(rolled, "Attested").getMessage()).contains("dstack verifier");
    assertThat(requests("/dstack-verifier/verify")).isPositive();
    assertThat(requests("/attestations/verify"))
        .as("Phala Cloud is not asked to verify the quote")
        .isZero();
    assertThat(requests("/attestations/tcb-evaluation")).as("nor for the TCB status").isZero();
    assertThat(Serialization.asJson(apps.get("clean").getStatus())).doesNotContain(CANARY);
    assertThat(Serialization.asJson(client.v1().events().inNamespace(ns.name()).list()))
        .doesNotContain(CANARY);
    assertThat(logs.text()).doesNotContain(CANARY);
  }

  @Test
  void required_aQuoteTheDstackVerifierRefuses_haltsTheRollout(
      KubernetesClient client, TestNamespace ns) {
    haltsOn(client, ns, "quote", FaultRule.Kind.ATTESTATION_BAD_QUOTE, 1, "QUOTE_VERIFIED");
  }

  @Test
  void required_aTcbStatusOutsideThePolicy_haltsTheRollout(
      KubernetesClient client, TestNamespace ns) {
    PhalaAppStatus halted =
        haltsOn(client, ns, "tcb", FaultRule.Kind.TCB_OUT_OF_DATE, null, "TCB_ACCEPTED");

    assertThat(halted.rollout.failure).contains("OutOfDate");
  }

  /** A {@code count} of null: the fault holds for every later read (a TCB status, say). */
  private PhalaAppStatus haltsOn(
      KubernetesClient client,
      TestNamespace ns,
      String name,
      FaultRule.Kind kind,
      Integer count,
      String step) {
    Apps apps = app(client, ns, name);
    PhalaAppStatus ready = apps.awaitStatus(name, DstackVerifierIT::attestedAndAtRest);
    fixture
        .simulator
        .faults()
        .add(new FaultRule(null, kind, null, null, null, 1.0, count, 0, Duration.ZERO));
    apps.secret(name + "-api", Map.of("token", CANARY + "-2"));

    PhalaAppStatus halted = apps.awaitStatus(name, s -> "Halted".equals(s.phase));

    assertThat(halted.rollout.failure).contains("failed attestation", step);
    assertThat(condition(halted, "Degraded").getReason()).isEqualTo("RolloutHalted");
    assertThat(condition(halted, "Attested").getReason()).isEqualTo("AttestationFailed");
    assertThat(halted.cvms)
        .as("one replica got the new revision; the other still serves the old one")
        .anyMatch(c -> ready.envRevision.equals(c.envRevision) && "running".equals(c.phase));
    assertThat(Serialization.asJson(halted)).doesNotContain(CANARY);
    assertThat(logs.text()).doesNotContain(CANARY);
    return halted;
  }

  private static Apps app(KubernetesClient client, TestNamespace ns, String name) {
    Apps apps = new Apps(client, ns.name());
    apps.secret(name + "-api", Map.of("token", CANARY + "-1"));
    apps.create(
        name,
        2,
        spec -> {
          spec.env = List.<EnvVarSource>of(Apps.fromSecret("API_TOKEN", name + "-api", "token"));
          spec.rollout = new Rollout();
          spec.rollout.readyTimeout = "10m";
          spec.attestation = new AttestationPolicy();
          spec.attestation.mode = AttestationPolicy.Mode.Required;
          spec.attestation.verifier = AttestationPolicy.Verifier.DSTACK;
        });
    return apps;
  }

  private static boolean attestedAndAtRest(PhalaAppStatus s) {
    return Apps.upToDate(s, 2)
        && Apps.condition(s, "Progressing", "False")
        && Apps.condition(s, "Attested", "True");
  }

  private static long requests(String suffix) {
    return fixture.simulator.requestLog().entries().stream()
        .map(RequestLog.Entry::path)
        .filter(p -> p.endsWith(suffix))
        .count();
  }

  private static Condition condition(PhalaAppStatus status, String type) {
    return status.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().get();
  }
}
