package cloud.phala.operator.app.sync.decide;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.plan.RolloutSettings;
import cloud.phala.operator.app.resolve.Revision;
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
 * Under Required with onFailure Rollback, over generated fleets partly on the failed revision
 * (rev-2) and partly back on the last good one (rev-1), with any verdicts and limits: every
 * decision keeps both floors (verified CVMs, serving CVMs), and a rollback whose only blocker is a
 * CVM serving rev-2 that failed attestation moves it back (or adds a replica in its place).
 */
class AttestationRollbackPropertiesTest {
  private static final List<String> GOOD = List.of("Verified", "Verified", "none", "Unavailable");
  private static final List<String> ANY =
      List.of("none", "Verified", "Failed", "Unavailable", "Error", "Malformed");

  private final Decider decider = new Decider(new Revision(new byte[32]));

  @Test
  void underRequiredRollback_everyDecisionKeepsBothFloors_andARejectedCvmAloneNeverStallsIt() {
    Random random = new Random(1616);
    int unblocked = 0;
    for (int run = 0; run < 3000; run++) {
      unblocked += check(random, run) ? 1 : 0;
    }
    assertThat(unblocked).as("runs blocked only by rejected CVMs").isGreaterThan(100);
  }

  /** Whether the run was a rollback blocked only by CVMs that failed attestation. */
  private boolean check(Random random, int run) {
    int replicas = 1 + random.nextInt(4);
    int maxUnavailable = random.nextInt(replicas + 1);
    int maxSurge = random.nextInt(2);
    Seen seen = AttestationRollbackTest.rollingBack();
    seen.cvms.clear();
    seen.status.cvms.clear();
    seen.replicas(replicas);
    seen.rollout(
        r -> {
          r.maxUnavailable = new IntOrString(maxUnavailable);
          r.maxSurge = new IntOrString(maxSurge);
          r.readyTimeout = random.nextInt(4) == 0 ? "5m" : "1h";
        });
    Map<String, String> verdicts = new LinkedHashMap<>();
    boolean onlyRejectedBlock = true;
    boolean anyFailedRev = false;
    for (int i = 0; i < replicas; i++) {
      String id = "vm-" + i;
      boolean failedRev = random.nextBoolean();
      boolean serving = random.nextInt(5) != 0;
      seen.cvm(id, serving ? "running" : "starting", false, failedRev ? "rev-2" : "rev-1");
      String verdict = (failedRev ? ANY : GOOD).get(random.nextInt(failedRev ? 6 : 4));
      verdicts.put(id, verdict);
      if (!"none".equals(verdict)) {
        seen.attestations.put(id, verdict(verdict));
      }
      anyFailedRev |= failedRev;
      onlyRejectedBlock &=
          serving
              && (failedRev
                  ? List.of("Failed", "Malformed").contains(verdict)
                  : "Verified".equals(verdict));
    }
    onlyRejectedBlock &= anyFailedRev;
    Decision decision = decider.decide(seen.observation());
    PhalaAppStatus status =
        StatusReport.of(seen.app, decision, seen.states, decision.convergingAfterSteps());
    String context =
        "run "
            + run
            + ": replicas "
            + replicas
            + ", maxUnavailable "
            + maxUnavailable
            + ", maxSurge "
            + maxSurge
            + ", "
            + seen.cvms.stream()
                .map(c -> c.vmUuid() + "=" + c.status() + "/" + revisionOf(seen, c.vmUuid()))
                .toList()
            + " "
            + verdicts;
    if (status.rollout != null && "Halted".equals(status.rollout.action)) {
      assertThat(decision.steps()).as(context).isEmpty();
      return false;
    }
    Set<String> serving =
        seen.cvms.stream().filter(c -> c.isServing()).map(c -> c.vmUuid()).collect(toSet());
    Set<String> verified =
        serving.stream().filter(id -> "Verified".equals(verdicts.get(id))).collect(toSet());
    int floor =
        replicas - RolloutSettings.from(seen.app.getSpec().rollout, replicas).maxUnavailable();
    assertThat(takenDown(decision, verified))
        .as("availability floor, " + context)
        .isLessThanOrEqualTo(Math.max(0, verified.size() - floor));
    assertThat(takenDown(decision, serving))
        .as("serving floor, " + context)
        .isLessThanOrEqualTo(Math.max(0, serving.size() - floor));
    if (onlyRejectedBlock) {
      assertThat(decision.steps())
          .as("progress, " + context)
          .anyMatch(
              s ->
                  (s instanceof Step.Update u && "rev-2".equals(revisionOf(seen, u.vmUuid())))
                      || (s instanceof Step.Remove r
                          && "rev-2".equals(revisionOf(seen, r.vmUuid())))
                      || s instanceof Step.AddReplica);
    }
    return onlyRejectedBlock;
  }

  private static long takenDown(Decision decision, Set<String> among) {
    return decision.steps().stream()
        .filter(
            s ->
                (s instanceof Step.Update u && among.contains(u.vmUuid()))
                    || (s instanceof Step.Remove r && among.contains(r.vmUuid())))
        .count();
  }

  private static <T> java.util.stream.Collector<T, ?, Set<T>> toSet() {
    return Collectors.toSet();
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
