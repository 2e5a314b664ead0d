package cloud.phala.operator.app.sync.decide;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.resolve.Resolution;
import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.cloud.AppRevision;
import cloud.phala.operator.cloud.ComposeSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Rollout;
import cloud.phala.operator.crypto.EnvPrivateKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A replica copied from a CVM on the last good compose while only the compose changed (recorded
 * compose-pending) runs the last good revision already: a rollback leaves it alone (simulation
 * replay 20269965 restarted it on the same content).
 */
class PendingReplicaRollbackTest {
  private static final Revision KEYS = new Revision(new byte[32]);
  private static final Revision BOUND = KEYS.forApp("ns", "app");
  private static final String OLD_COMPOSE = "services:\n  app:\n    image: nginx:1.0\n";
  private static final EnvSet ENV = EnvSet.of(Map.of("TOKEN", "t"));
  private static final String LAST_GOOD = BOUND.of(ENV, OLD_COMPOSE, null);
  private static final String LAST_GOOD_COMPOSE = BOUND.ofCompose(ENV.keys(), OLD_COMPOSE, null);

  private final Decider decider = new Decider(KEYS);

  /**
   * The desired revision (the new compose with {@code env}) failed and is rolled back to the last
   * good one; vm-1 still runs it, vm-2 is a replica copied from vm-1 while the desired revision
   * rolled out, given the desired env.
   */
  private static Seen rollingBack(EnvSet env) {
    Seen seen =
        new Seen()
            .replicas(2)
            .serving("vm-1", LAST_GOOD)
            .serving("vm-2", Decider.COMPOSE_PENDING)
            .rollout(
                r -> {
                  r.onFailure = Rollout.OnFailure.Rollback;
                  r.maxUnavailable = new IntOrString(1);
                  r.maxSurge = new IntOrString(0);
                });
    seen.sources = new Resolution.Resolved(env, Seen.COMPOSE, null);
    seen.revision = BOUND.of(env, Seen.COMPOSE, null);
    seen.composeRevision = BOUND.ofCompose(env.keys(), Seen.COMPOSE, null);
    seen.status.cvms.forEach(c -> c.composeRevision = LAST_GOOD_COMPOSE);
    seen.status.cvms.get(1).envOf = seen.revision;
    seen.status.envRevision = seen.revision;
    seen.status.rollout = new PhalaAppStatus.RolloutStatus();
    seen.status.rollout.failedRevision = seen.revision;
    seen.status.rollout.failure = "CVM vm-3 failed to boot revision " + seen.revision;
    seen.status.rollout.action = "RolledBack";
    seen.status.rollout.lastGoodRevision = LAST_GOOD;
    // Phala Cloud shows its default pre-launch script where none was given
    AppRevision kept =
        new AppRevision(
            "r1",
            Seen.APP_ID,
            "vm-1",
            "hash-1",
            "deploy",
            Optional.of(new ComposeSpec(OLD_COMPOSE, "#!/bin/bash\n# default\n", ENV.keys())),
            Optional.of(
                EnvSealer.seal(EnvPrivateKey.generate(new SecureRandom()).publicKey(), ENV)));
    seen.status.rollout.rollbackRecord =
        new RollbackRecords(KEYS).record(seen.app, Seen.APP_ID, LAST_GOOD, LAST_GOOD_COMPOSE, kept);
    seen.rollback = Observation.Lookup.found(kept);
    return seen;
  }

  private static PhalaAppStatus statusOf(Seen seen, Decision decision) {
    return StatusReport.of(seen.app, decision, seen.states, decision.convergingAfterSteps());
  }

  @Test
  void aPendingReplicaGivenTheLastGoodEnv_onTheLastGoodCompose_isNotRestartedByTheRollback() {
    Seen seen = rollingBack(ENV);

    Decision decision = decider.decide(seen.observation());
    PhalaAppStatus status = statusOf(seen, decision);

    assertThat(decision.steps()).isEmpty();
    PhalaAppStatus.CvmStatus replica = status.cvms.get(1);
    assertThat(replica.envRevision).isEqualTo(LAST_GOOD);
    assertThat(replica.composeRevision).isEqualTo(LAST_GOOD_COMPOSE);
    assertThat(replica.envOf).isNull();
  }

  @Test
  void aPendingReplicaGivenAnotherEnv_isRedeployedTheLastGoodRevision() {
    Seen seen = rollingBack(EnvSet.of(Map.of("TOKEN", "changed")));

    Decision decision = decider.decide(seen.observation());

    assertThat(decision.steps())
        .singleElement()
        .isEqualTo(
            new Step.Update(
                "vm-2",
                new Step.Change.Redeploy("r1"),
                new CvmRecord.Intent(LAST_GOOD, LAST_GOOD_COMPOSE, Seen.NOW)));
  }

  @Test
  void aReplicaCopiedFromAnotherCompose_recordsWhoseEnvItWasGiven() {
    Seen seen = new Seen().replicas(3).serving("vm-1", "rev-1").serving("vm-2", "rev-1");
    seen.status.cvms.forEach(c -> c.composeRevision = "compose-0");

    Decision decision = decider.decide(seen.observation());

    Step.AddReplica add =
        decision.steps().stream()
            .filter(Step.AddReplica.class::isInstance)
            .map(Step.AddReplica.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(add.intent().revision()).isEqualTo(Decider.COMPOSE_PENDING);
    assertThat(add.intent().composeRevision()).isEqualTo("compose-0");
    assertThat(add.intent().envOf()).isEqualTo(seen.revision);
  }
}
