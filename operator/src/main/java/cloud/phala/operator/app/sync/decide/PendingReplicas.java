package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.plan.ObservedCvm;
import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.crd.PhalaApp;
import java.util.Arrays;
import java.util.List;

/**
 * Replicas recorded {@link Decider#COMPOSE_PENDING} during a rollback. Such a replica boots the env
 * of the revision its record names ({@code envOf}) on the compose its source ran. When that env is
 * the desired one (whose values this pass holds) and the rollback's compose with it is the last
 * good revision itself, the replica already runs what the rollback redeploys: it is recorded on
 * that revision, so the rollback leaves it alone rather than restarting it on the same content.
 */
final class PendingReplicas {
  private final Revision keys;

  PendingReplicas(Revision keys) {
    this.keys = keys;
  }

  /** {@code observed} with each pending replica that runs {@code target} recorded on it. */
  List<ObservedCvm> onTarget(
      PhalaApp app,
      Desired desired,
      Desired target,
      StatusDraft draft,
      List<Cvm> cvms,
      List<ObservedCvm> observed) {
    if (target == desired
        || !(desired.env() instanceof EnvPayload.Fresh fresh)
        || target.compose() == null) {
      return observed;
    }
    if (!runsTarget(app, fresh, target)) {
      return observed;
    }
    boolean recorded = false;
    for (Cvm cvm : cvms) {
      CvmRecord record = draft.records().get(cvm.vmUuid());
      if (record != null
          && record.intent() == null
          && record.revision() != null
          && Decider.COMPOSE_PENDING.equals(OsImageTag.base(record.revision()))
          && desired.revision().equals(record.envOf())
          && record.composeRevision() != null
          && OsImageTag.base(record.composeRevision())
              .equals(OsImageTag.base(target.composeRevision()))
          && OsImageTag.runs(cvm, target.osImage())) {
        draft
            .records()
            .put(
                cvm.vmUuid(),
                new CvmRecord(target.revision(), target.composeRevision(), record.givenAt(), null));
        recorded = true;
      }
    }
    return recorded
        ? cvms.stream().map(c -> SettledCvms.observed(draft, c, desired.osImage())).toList()
        : observed;
  }

  /**
   * Whether the desired env on the target's compose is the target revision. Phala Cloud's copy of
   * the compose shows its default pre-launch script where none was given, so the script is the one
   * (the copy's, or none) the target's compose revision was named with.
   */
  private boolean runsTarget(PhalaApp app, EnvPayload.Fresh fresh, Desired target) {
    Revision bound = keys.forApp(app.getMetadata().getNamespace(), app.getMetadata().getName());
    String composeRevision = OsImageTag.base(target.composeRevision());
    for (String script : Arrays.asList(target.preLaunchScript(), null)) {
      if (bound.ofCompose(fresh.env().keys(), target.compose(), script).equals(composeRevision)) {
        return bound
            .of(fresh.env(), target.compose(), script)
            .equals(OsImageTag.base(target.revision()));
      }
    }
    return false;
  }
}
