package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.plan.Action;
import cloud.phala.operator.app.plan.Plan;
import cloud.phala.operator.cloud.ComposeSpec;
import cloud.phala.operator.cloud.Cvm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The planner's actions as steps the actor carries out without deciding anything. */
final class StepsOf {
  private final Desired target;
  private final StatusDraft draft;
  private final Instant now;

  StepsOf(Desired target, StatusDraft draft, Instant now) {
    this.target = target;
    this.draft = draft;
    this.now = now;
  }

  /** {@code cvms}: the app's CVMs as observed. */
  List<Step> of(Plan plan, List<Cvm> cvms) {
    Optional<Cvm> source = replicaSource(plan, cvms);
    List<Step> steps = new ArrayList<>();
    for (Action action : plan.actions()) {
      if (action instanceof Action.AddReplica) {
        source.ifPresent(s -> steps.add(addReplica(s)));
      } else if (action instanceof Action.Update update) {
        steps.add(
            update(
                cvms.stream()
                    .filter(c -> c.vmUuid().equals(update.vmUuid()))
                    .findFirst()
                    .orElseThrow()));
      } else if (action instanceof Action.Remove remove) {
        steps.add(new Step.Remove(remove.vmUuid()));
      }
    }
    return steps;
  }

  /**
   * The CVM a new replica is copied from (it boots that CVM's compose and key set): one this plan
   * neither removes nor restarts (a CVM restarting on a new compose has no compose to copy until it
   * booted it), serving, preferably already on the target's compose and key set, as the planner
   * expects.
   */
  private Optional<Cvm> replicaSource(Plan plan, List<Cvm> cvms) {
    Set<String> touched =
        plan.actions().stream()
            .map(StepsOf::touched)
            .filter(id -> id != null)
            .collect(Collectors.toSet());
    List<Cvm> kept = cvms.stream().filter(c -> !touched.contains(c.vmUuid())).toList();
    return kept.stream()
        .filter(c -> c.isServing() && isTemplate(c))
        .findFirst()
        .or(() -> kept.stream().filter(c -> c.isServing() && bootsTargetCompose(c)).findFirst())
        .or(() -> kept.stream().filter(Cvm::isServing).findFirst())
        .or(() -> kept.stream().findFirst());
  }

  private static String touched(Action action) {
    if (action instanceof Action.Remove remove) {
      return remove.vmUuid();
    }
    return action instanceof Action.Update update ? update.vmUuid() : null;
  }

  /** A replica copied from {@code cvm} boots the target's compose, key set and OS image. */
  private boolean isTemplate(Cvm cvm) {
    return bootsTargetCompose(cvm) && OsImageTag.runs(cvm, target.osImage());
  }

  /** A replica copied from {@code cvm} boots the target's compose and key set (any OS image). */
  private boolean bootsTargetCompose(Cvm cvm) {
    CvmRecord record = draft.records().get(cvm.vmUuid());
    return record != null
        && (sameBase(target.revision(), record.revision())
            || sameBase(target.composeRevision(), record.composeRevision()));
  }

  private static boolean sameBase(String wanted, String recorded) {
    return OsImageTag.base(wanted).equals(OsImageTag.base(recorded));
  }

  /**
   * The replica runs the target revision only if the source has its compose and key set; otherwise
   * it is recorded as pending one (naming the revision whose env it was given), so a later pass
   * restarts it.
   */
  private Step addReplica(Cvm source) {
    CvmRecord from = draft.records().get(source.vmUuid());
    CvmRecord.Intent intent =
        bootsTargetCompose(source)
            ? new CvmRecord.Intent(target.revision(), target.composeRevision(), now)
            : new CvmRecord.Intent(
                Decider.COMPOSE_PENDING,
                from == null ? null : from.composeRevision(),
                now,
                target.revision());
    return new Step.AddReplica(source.vmUuid(), source.name(), source.composeHash(), intent);
  }

  /**
   * The change that brings {@code cvm} closer to the target: its OS image when only that differs
   * (the env and compose stay), else its env and compose (a later step moves the image).
   */
  private Step update(Cvm cvm) {
    String vmUuid = cvm.vmUuid();
    CvmRecord before = draft.records().getOrDefault(vmUuid, new CvmRecord(null, null));
    CvmRecord.Intent intent =
        new CvmRecord.Intent(target.revision(), target.composeRevision(), now);
    Step.Change change;
    if (target.revision().equals(before.revision())
        && target.composeRevision().equals(before.composeRevision())) {
      change = new Step.Change.Restart();
    } else if (before.revision() != null
        && sameBase(target.revision(), before.revision())
        && !OsImageTag.runs(cvm, target.osImage())) {
      change = new Step.Change.OsImage(target.osImage());
    } else if (target.env() instanceof EnvPayload.Kept kept) {
      change = new Step.Change.Redeploy(kept.phalaRevision());
    } else if (before.composeRevision() == null
        || !sameBase(target.composeRevision(), before.composeRevision())) {
      change =
          new Step.Change.Compose(
              new ComposeSpec(target.compose(), target.preLaunchScript(), target.env().keys()));
    } else {
      change = new Step.Change.Env();
    }
    return new Step.Update(vmUuid, change, intent);
  }
}
