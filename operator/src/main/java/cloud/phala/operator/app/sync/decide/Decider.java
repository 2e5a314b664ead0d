package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.cloud.EnvKeyTrust;
import cloud.phala.operator.app.lint.ComposeLint;
import cloud.phala.operator.app.owner.Claim;
import cloud.phala.operator.app.plan.ObservedCvm;
import cloud.phala.operator.app.plan.Plan;
import cloud.phala.operator.app.plan.RolloutPlanner;
import cloud.phala.operator.app.plan.Target;
import cloud.phala.operator.app.resolve.OperatorSecrets;
import cloud.phala.operator.app.resolve.Resolution;
import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.app.status.ConditionSet;
import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.status.Phase;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.ProvisionRequest;
import cloud.phala.operator.crypto.EnvViolation;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides one pass: from what was observed (and the previous status it carries) to the steps, the
 * status and the Events. Pure: it reads nothing and changes nothing outside what it returns.
 */
public final class Decider {
  /** The revision recorded for a replica that boots an older compose or key set than desired. */
  public static final String COMPOSE_PENDING = "compose-pending";

  private final FailurePolicy failures;

  /** {@code keys}: the operator's revision key, which also tags rollback records. */
  public Decider(Revision keys) {
    this.failures = new FailurePolicy(new RollbackRecords(keys));
  }

  public Decision decide(Observation seen) {
    StatusDraft draft = StatusDraft.from(seen.previous(), seen.app().getSpec(), seen.now());
    Notes notes = new Notes();
    ConditionSet conditions = draft.conditions();
    switch (seen.stage()) {
      case OPERATOR_SECRET -> {
        String message = OperatorSecrets.message(seen.operatorSecret().orElseThrow());
        conditions.set(ConditionType.SECRETS_RESOLVED, false, Reason.OPERATOR_SECRET, message);
        return blocked(draft, notes, Reason.OPERATOR_SECRET, message);
      }
      case UNRESOLVED -> {
        return unresolved(draft, notes, seen.sources());
      }
      default -> {}
    }
    conditions.set(
        ConditionType.SECRETS_RESOLVED,
        true,
        Reason.RESOLVED,
        "every referenced Secret and ConfigMap key was found");
    lint(draft, notes, (Resolution.Resolved) seen.sources());
    draft.earlierScheme(seen.earlierNames());
    draft.desired(seen.desired());
    draft.inputs(seen.inputs());
    if (seen.stage() == Observation.Stage.NO_CREDENTIALS) {
      String problem = seen.apiKeyProblem().orElseThrow();
      conditions.set(ConditionType.READY, false, Reason.CREDENTIALS_UNAVAILABLE, problem);
      return blocked(draft, notes, Reason.CREDENTIALS_UNAVAILABLE, problem);
    }
    if (seen.stage() == Observation.Stage.CLOUD_UNAVAILABLE) {
      String problem = seen.cloudProblem().orElseThrow();
      conditions.set(ConditionType.PROGRESSING, true, Reason.CLOUD_UNAVAILABLE, problem);
      notes.warning(Reason.CLOUD_ERROR, problem);
      return Decision.none(Optional.empty(), draft, notes, true);
    }
    if (seen.claim() instanceof Claim.Refused refused) {
      conditions.set(ConditionType.READY, false, refused.reason(), refused.message());
      return blocked(draft, notes, refused.reason(), refused.message());
    }
    Optional<Claim.Owned> owned =
        seen.claim() instanceof Claim.Owned o ? Optional.of(o) : Optional.empty();
    owned.ifPresentOrElse(o -> draft.adopt(o.appId(), seen.kmsId()), draft::forgetApp);
    return converge(seen, owned, draft, notes);
  }

  private Decision converge(
      Observation seen, Optional<Claim.Owned> owned, StatusDraft draft, Notes notes) {
    Desired desired = seen.desired();
    Observation.Cloud cloud = seen.cloud();
    if (draft.appId() == null && desired.replicas() == 0) {
      // nothing asked for, nothing to deploy: a first CVM would only be removed again
      draft.observed(List.of());
      return new Decision(owned, List.of(), null, null, draft, notes, false, true);
    }
    if (draft.appId() == null || (cloud.cvms().isEmpty() && desired.replicas() > 0)) {
      // No CVM to replicate from: (re)deploy. A provision that was never committed costs nothing.
      // With an app id, "no CVMs" is what GET /apps/{id}/cvms answered (a listing is never taken
      // for absence): a commit that never happened, or every CVM deleted outside the operator.
      // Redeploying is then right: spec.replicas asks for CVMs, and Phala Cloud adds one only by
      // copying another, so a new app (a new id, recorded anew) is the only way back. Were that
      // answer wrong while the app's first CVM lives, its name is taken: the provision is refused
      // (409) and the record still names the app.
      draft.forgetApp();
      return create(seen, owned, draft, notes);
    }
    EnvKeyTrust.Outcome key = cloud.key();
    // intents are settled whatever else stops the pass: status lists the CVMs as they are now
    List<ObservedCvm> observed = settle(draft, cloud, desired.osImage());
    if (!trusted(draft, key)) {
      return blocked(draft, notes, key.reason(), key.message()).withOwned(owned);
    }
    Optional<Decision> imageRefused = OsImageTag.stop(desired, cloud, draft, notes, owned);
    if (imageRefused.isPresent()) {
      return imageRefused.get();
    }
    Optional<Desired> target =
        failures.target(seen.app(), draft, desired, observed, cloud.rollback(), notes);
    // a failure found now is acted on by the next pass, which comes soon
    boolean justFailed =
        target.isPresent()
            && failures.failed(draft, desired, target.get(), observed, cloud.states(), notes);
    if (justFailed) {
      target = Optional.empty();
    }
    Plan plan =
        target
            .map(
                t ->
                    RolloutPlanner.plan(
                        true,
                        desired.replicas(),
                        new Target(t.revision(), t.composeRevision()),
                        desired.rollout(),
                        observed))
            .orElse(new Plan(List.of(), justFailed));
    if (target.isEmpty() || plan.actions().isEmpty()) {
      failures.completed(seen.app(), draft, desired, cloud.cvms(), cloud.history(), notes);
      return new Decision(owned, List.of(), null, null, draft, notes, plan.converging(), true);
    }
    // checkpoints during the pass must not say the app is at rest
    draft
        .conditions()
        .set(
            ConditionType.PROGRESSING,
            true,
            Reason.ROLLING_OUT,
            "moving CVMs to revision " + target.get().revision());
    List<Step> planned = new StepsOf(target.get(), draft, seen.now()).of(plan, cloud.cvms());
    List<Step> steps = Placing.replicas(planned, seen, notes);
    return new Decision(
        owned, steps, target.get(), key.key().get(), draft, notes, plan.converging(), true);
  }

  /** Which of the reads only some decisions need the decision on {@code seen} needs. */
  public record OptionalReads(boolean rollbackRevision, boolean history) {}

  /** {@code seen}: observed as far as the app's CVMs and their states, without optional reads. */
  public OptionalReads optionalReads(Observation seen) {
    StatusDraft draft = StatusDraft.from(seen.previous(), seen.app().getSpec(), seen.now());
    draft.earlierScheme(seen.earlierNames());
    draft.desired(seen.desired());
    if (seen.claim() instanceof Claim.Owned owned) {
      draft.adopt(owned.appId(), seen.kmsId());
    }
    Desired desired = seen.desired();
    List<ObservedCvm> observed = settle(draft, seen.cloud(), desired.osImage());
    return new OptionalReads(
        failures.rollbackDue(seen.app(), draft, desired, observed),
        failures.recordDue(seen.app(), draft, desired, seen.cloud().cvms()));
  }

  /**
   * Intents settled, then each CVM with the revision the operator gave it, tagged with the OS image
   * it reports when {@code image} is asked for.
   */
  private static List<ObservedCvm> settle(
      StatusDraft draft, Observation.Cloud cloud, String image) {
    IntentCheck.settle(draft, cloud.cvms(), cloud);
    OsImageTag.retag(draft.records(), cloud.cvms(), image);
    draft.observed(cloud.cvms());
    return cloud.cvms().stream().map(c -> observed(draft, c, image)).toList();
  }

  private static ObservedCvm observed(StatusDraft draft, Cvm c, String image) {
    CvmRecord record = draft.records().get(c.vmUuid());
    return new ObservedCvm(
        c.vmUuid(),
        c.status(),
        c.inProgress(),
        record == null ? null : OsImageTag.seen(record.revision(), c, image),
        record == null ? null : OsImageTag.seen(record.composeRevision(), c, image),
        record == null ? null : record.givenAt());
  }

  /**
   * A first deploy in two passes: a provision (safe to repeat), then, once observe has verified the
   * env key of the provisioned app, the commit.
   */
  private Decision create(
      Observation seen, Optional<Claim.Owned> owned, StatusDraft draft, Notes notes) {
    Desired desired = seen.desired();
    Observation.Cloud cloud = seen.cloud();
    if (cloud.provisioned().isEmpty()) {
      EffectiveSpec spec = EffectiveSpec.of(seen.app().getSpec());
      ProvisionRequest asked =
          new ProvisionRequest(
              seen.cvmName(),
              desired.compose(),
              desired.preLaunchScript(),
              desired.env().keys(),
              spec.instanceType(),
              spec.diskSizeGb(),
              spec.region(),
              desired.osImage(),
              null);
      ProvisionRequest request = Placing.first(asked, seen, draft, notes);
      if (request == null) {
        return Decision.none(owned, draft, notes, true);
      }
      return new Decision(
          owned, List.of(new Step.Provision(request)), desired, null, draft, notes, true, false);
    }
    EnvKeyTrust.Outcome key = cloud.key();
    if (!trusted(draft, key)) {
      // a refused key waits for a change (an event), not for the next poll
      notes.warning(key.reason(), key.message());
      draft.phase(Phase.BLOCKED);
      return Decision.none(owned, draft, notes, false);
    }
    CvmRecord.Intent intent =
        new CvmRecord.Intent(desired.revision(), desired.composeRevision(), seen.now());
    Step commit = new Step.Commit(cloud.provisioned().get(), intent);
    return new Decision(
        owned, List.of(commit), desired, key.key().get(), draft, notes, true, false);
  }

  /** Records what the key check found; whether there is a key to seal to. */
  private static boolean trusted(StatusDraft draft, EnvKeyTrust.Outcome key) {
    draft
        .conditions()
        .set(ConditionType.PUBLIC_KEY_VERIFIED, key.verified(), key.reason(), key.message());
    if (key.rootKey() != null) {
      draft.kmsRootKey(key.rootKey());
    }
    return key.key().isPresent();
  }

  private static Decision unresolved(StatusDraft draft, Notes notes, Resolution resolution) {
    Reason reason;
    String message;
    if (resolution instanceof Resolution.Missing missing) {
      reason = Reason.MISSING_SOURCE;
      message = String.join("; ", missing.problems());
    } else {
      reason = Reason.INVALID_ENV;
      message =
          ((Resolution.Invalid) resolution)
              .violations().stream().map(EnvViolation::toString).collect(Collectors.joining("; "));
    }
    draft
        .conditions()
        .set(
            ConditionType.SECRETS_RESOLVED,
            false,
            reason,
            message + "; running CVMs are left as they are");
    return blocked(draft, notes, reason, message);
  }

  /** Nothing is done until something changes; the warning is recorded once. */
  private static Decision blocked(StatusDraft draft, Notes notes, Reason reason, String message) {
    notes.warnOnce(reason, message);
    draft.phase(Phase.BLOCKED);
    return Decision.none(Optional.empty(), draft, notes, false);
  }

  private static void lint(StatusDraft draft, Notes notes, Resolution.Resolved resolved) {
    Set<String> keys = Set.copyOf(resolved.env().keys());
    List<ComposeLint.Warning> warnings =
        ComposeLint.lint(resolved.compose(), keys, resolved.preLaunchScript() != null);
    if (warnings.isEmpty()) {
      draft
          .conditions()
          .set(
              ConditionType.COMPOSE_VALID,
              true,
              Reason.NO_WARNINGS,
              "the compose and the env agree");
      return;
    }
    String message =
        warnings.stream().map(ComposeLint.Warning::message).collect(Collectors.joining("; "));
    draft.conditions().set(ConditionType.COMPOSE_VALID, false, warnings.get(0).reason(), message);
    notes.warnOnce(Reason.COMPOSE_WARNING, message);
  }
}
