package cloud.phala.operator.app.sync.decide;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.plan.RolloutSettings;
import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.crd.AttestationPolicy;
import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Under spec.attestation.mode Required, over generated fleets (revisions, states, verdicts, rollout
 * limits): no decision counts an unverified CVM as available. Ready, a recorded last good revision
 * and the availability floor all see only verified CVMs of the desired revision, and a failed check
 * always stops the rollout.
 */
class AttestationGatePropertiesTest {
  private static final List<String> VERDICTS =
      List.of("none", "Verified", "Failed", "Unavailable", "Error", "Malformed");

  private final Decider decider = new Decider(new Revision(new byte[32]));

  @Test
  void underRequired_noDecisionCountsAnUnverifiedCvmAsAvailable() {
    Random random = new Random(16);
    for (int run = 0; run < 3000; run++) {
      check(random, run);
    }
  }

  private void check(Random random, int run) {
    int replicas = 1 + random.nextInt(4);
    int maxUnavailable = random.nextInt(replicas + 1);
    int maxSurge = random.nextInt(replicas + 1);
    Seen seen = new Seen().replicas(replicas);
    seen.rollout(
        r -> {
          r.maxUnavailable = new IntOrString(maxUnavailable);
          r.maxSurge = new IntOrString(maxSurge);
          r.readyTimeout = "1h";
        });
    seen.app.getSpec().attestation = new AttestationPolicy();
    seen.app.getSpec().attestation.mode = AttestationPolicy.Mode.Required;
    Map<String, String> verdicts = new LinkedHashMap<>();
    for (int i = 0; i < replicas; i++) {
      String id = "vm-" + i;
      String revision = random.nextBoolean() ? "rev-2" : "rev-1";
      seen.cvm(id, random.nextInt(4) == 0 ? "starting" : "running", false, revision);
      String verdict = VERDICTS.get(random.nextInt(VERDICTS.size()));
      verdicts.put(id, verdict);
      if (!"none".equals(verdict)) {
        seen.attestations.put(id, verdict(verdict));
      }
    }
    Decision decision = decider.decide(seen.observation());
    PhalaAppStatus status =
        StatusReport.of(seen.app, decision, seen.states, decision.convergingAfterSteps());
    String context = "run " + run + ": " + seen.cvms + " " + verdicts;

    Set<String> verifiedNew =
        seen.cvms.stream()
            .filter(c -> c.isServing() && "rev-2".equals(revisionOf(seen, c.vmUuid())))
            .filter(c -> "Verified".equals(verdicts.get(c.vmUuid())))
            .map(c -> c.vmUuid())
            .collect(Collectors.toSet());
    long servingNew =
        seen.cvms.stream()
            .filter(c -> c.isServing() && "rev-2".equals(revisionOf(seen, c.vmUuid())))
            .count();
    boolean anyFailed =
        seen.cvms.stream()
            .anyMatch(
                c ->
                    c.isServing()
                        && "rev-2".equals(revisionOf(seen, c.vmUuid()))
                        && List.of("Failed", "Malformed").contains(verdicts.get(c.vmUuid())));

    if ("True".equals(Seen.condition(status, "Ready").getStatus())) {
      assertThat(verifiedNew).as(context).hasSize(replicas);
    }
    if (status.rollout != null && "rev-2".equals(status.rollout.lastGoodRevision)) {
      assertThat(verifiedNew).as(context).hasSize(replicas);
    }
    if (anyFailed) {
      assertThat(status.rollout.action).as(context).isEqualTo("Halted");
      assertThat(decision.steps()).as(context).isEmpty();
      return;
    }
    // the availability floor counts serving old replicas and verified new ones only
    Set<String> counted =
        seen.cvms.stream()
            .filter(c -> c.isServing())
            .filter(
                c ->
                    "rev-1".equals(revisionOf(seen, c.vmUuid()))
                        || verifiedNew.contains(c.vmUuid()))
            .map(c -> c.vmUuid())
            .collect(Collectors.toSet());
    long takenDown =
        decision.steps().stream()
            .filter(
                s ->
                    (s instanceof Step.Update u && counted.contains(u.vmUuid()))
                        || (s instanceof Step.Remove r && counted.contains(r.vmUuid())))
            .count();
    int floor =
        replicas - RolloutSettings.from(seen.app.getSpec().rollout, replicas).maxUnavailable();
    assertThat(takenDown)
        .as(context + " (serving new: " + servingNew + ")")
        .isLessThanOrEqualTo(Math.max(0, counted.size() - floor));
  }

  private static String revisionOf(Seen seen, String id) {
    return seen.status.cvms.stream()
        .filter(c -> id.equals(c.cvmId))
        .map(c -> c.envRevision)
        .findFirst()
        .orElse(null);
  }

  private static AttestationVerdict verdict(String kind) {
    return switch (kind) {
      case "Verified" -> AttestationVerdict.verified("ok");
      case "Failed" -> AttestationVerdict.failed("COMPOSE_HASH_MATCHES", "no match");
      case "Unavailable" -> AttestationVerdict.unavailable("none");
      case "Error" -> AttestationVerdict.error("503");
      default -> AttestationVerdict.malformed("NOT_JSON", "not JSON");
    };
  }
}
