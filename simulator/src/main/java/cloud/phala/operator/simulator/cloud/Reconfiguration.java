package cloud.phala.operator.simulator.cloud;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Gives an idle CVM another app compose or sealed env and restarts it onto them, recording the
 * revision: a config change, or a redeploy of one of its app's revisions. An app on an on-chain KMS
 * cannot change its compose hash here: it must register the new hash on chain first. Guarded by the
 * world's lock.
 */
final class Reconfiguration {
  private final OnChainContracts chain;
  private final Clock clock;
  private final PowerCycle power;
  private final RevisionHistory revisions;

  Reconfiguration(
      OnChainContracts chain, Clock clock, PowerCycle power, RevisionHistory revisions) {
    this.chain = chain;
    this.clock = clock;
    this.power = power;
    this.revisions = revisions;
  }

  ChangeAccepted change(Cvm cvm, ConfigChange change, OnChainProof proof) {
    cvm.requireIdle();
    AppCompose compose = change.compose() != null ? change.compose() : cvm.compose;
    if (change.dockerComposeFile() != null) {
      compose = compose.withDockerComposeFile(change.dockerComposeFile());
    }
    if (change.preLaunchScript() != null) {
      compose = compose.withPreLaunchScript(change.preLaunchScript());
    }
    boolean allowedChanged = false;
    if (change.allowedEnvs() != null) {
      allowedChanged = !Set.copyOf(change.allowedEnvs()).equals(Set.copyOf(compose.allowedEnvs()));
      compose = compose.withAllowedEnvs(List.copyOf(new LinkedHashSet<>(change.allowedEnvs())));
    }
    if (cvm.app.onChainKms()) {
      chain.authorize(cvm, compose.hash(), change, proof);
    }
    cvm.compose = compose;
    if (change.encryptedEnv() != null) {
      cvm.encryptedEnv = EncryptedEnvInput.orNull(change.encryptedEnv());
    }
    power.restart(cvm, CvmStatus.SHUTTING_DOWN);
    revisions.record(cvm, RevisionHistory.UPDATE, clock.instant());
    return new ChangeAccepted(cvm.correlationId, allowedChanged);
  }

  /**
   * Restarts {@code cvm} on {@code revision}, one of its own app's: that revision's app compose (so
   * its allowed keys and pre-launch script) and sealed env. Returns the operation's correlation id.
   */
  String redeploy(Cvm cvm, AppRevision revision) {
    cvm.requireIdle();
    if (cvm.app.onChainKms()) {
      chain.requireAllowed(cvm, revision.composeHash());
    }
    cvm.compose = revision.compose();
    cvm.encryptedEnv = revision.encryptedEnv();
    power.restart(cvm, CvmStatus.SHUTTING_DOWN);
    revisions.record(cvm, RevisionHistory.REDEPLOY, clock.instant());
    return cvm.correlationId;
  }
}
