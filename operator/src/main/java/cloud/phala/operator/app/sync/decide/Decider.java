package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.cloud.EnvKeyTrust;
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
import cloud.phala.operator.cloud.ProvisionRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides one pass: from what was observed (and the previous status it carries) to the steps, the
 * status and the Events. Pure: it reads nothing and changes nothing outside what it returns.
 */
public final class Decider {
  /** The revision recorded for a replica that boots an older compose or key set than desired. */
  public static final String COMPOSE_PENDING = "compose-pending";

  private final FailurePolicy failures;
  private final Histories histories;
  private final Pins pins;
  private final ReadsWanted reads;
  private final PendingReplicas pending;

  /** {@code keys}: the operator's revision key, which also tags rollback records and history. */
  public Decider(Revision keys) {
    this.failures = new FailurePolicy(new RollbackRecords(keys));
    this.histories = new Histories(keys);
    this.pins = new Pins(histories);
    this.reads = new ReadsWanted(failures, pins);
    this.pending = new PendingReplicas(keys);
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
        return SourceChecks.unresolved(draft, notes, seen.sources());
      }
      default -> {}
    }
    conditions.set(
        ConditionType.SECRETS_RESOLVED,
        true,
        Reason.RESOLVED,
        "every referenced Secret and ConfigMap key was found");
    SourceChecks.lint(draft, notes, (Resolution.Resolved) seen.sources());
    draft.earlierScheme(seen.earlierNames());
    Pins.Pin pin = pins.target(seen, draft, seen.cloud() == null ? null : seen.cloud().pinned());
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
    return converge(seen, owned, draft, notes, pin);
  }

  private Decision converge(
      Observation seen, Optional<Claim.Owned> owned, StatusDraft draft, Notes notes, Pins.Pin pin) {
    Desired desired = pin.desired();
    Observation.Cloud cloud = seen.cloud();
    if (draft.appId() == null && desired.replicas() == 0) {
      // nothing asked for, nothing to deploy: a first CVM would only be removed again
      BatchWindow.end(draft.rollout());
      draft.observed(List.of(), seen.now());
      return new Decision(owned, List.of(), null, null, draft, notes, false, true);
    }
    if (draft.appId() == null || (cloud.cvms().isEmpty() && desired.replicas() > 0)) {
      Optional<Decision> adoptOnly = OnChainGate.adoptOnly(seen, draft, notes, owned);
      if (adoptOnly.isPresent()) {
        return adoptOnly.get();
      }
      // No CVM to replicate from: (re)deploy. A provision that was never committed costs nothing.
      // With an app id, "no CVMs" is what GET /apps/{id}/cvms answered (a listing is never taken
      // for absence): a commit that never happened, or every CVM deleted outside the operator.
      // Redeploying is then right: spec.replicas asks for CVMs, and Phala Cloud adds one only by
      // copying another, so a new app (a new id, recorded anew) is the only way back. Were that
      // answer wrong while the app's first CVM lives, its name is taken: the provision is refused
      // (409) and the record still names the app.
      draft.forgetApp();
      BatchWindow.end(draft.rollout());
      return create(seen, owned, draft, notes);
    }
    EnvKeyTrust.Outcome key = cloud.key();
    // intents are settled whatever else stops the pass: status lists the CVMs as they are now
    List<ObservedCvm> settled = SettledCvms.settle(draft, cloud, desired.osImage());
    AttestedReport.report(draft, seen.app().getSpec(), seen.previous(), notes);
    Optional<Decision> otherChain = KmsChainCheck.mismatch(seen, draft, notes, owned);
    if (otherChain.isPresent()) {
      return otherChain.get();
    }
    if (!trusted(draft, key)) {
      return blocked(draft, notes, key.reason(), key.message()).withOwned(owned);
    }
    if (pin.refused()) {
      draft.conditions().set(ConditionType.READY, false, pin.refusal(), pin.message());
      return blocked(draft, notes, pin.refusal(), pin.message()).withOwned(owned);
    }
    Optional<Decision> imageRefused = OsImageTag.stop(desired, cloud, draft, notes, owned);
    if (imageRefused.isPresent()) {
      return imageRefused.get();
    }
    List<ObservedCvm> retried = SettledCvms.retried(draft, seen, settled, notes, desired.osImage());
    Optional<Desired> target =
        failures.target(seen.app(), draft, desired, retried, cloud.rollback(), notes);
    List<ObservedCvm> observed =
        target
            .map(t -> pending.onTarget(seen.app(), desired, t, draft, cloud.cvms(), retried))
            .orElse(retried);
    // a failure found now is acted on by the next pass, which comes soon
    boolean justFailed =
        target.isPresent()
            && failures.failed(draft, desired, target.get(), observed, cloud.states(), notes);
    if (justFailed) {
      target = Optional.empty();
    }
    Optional<Desired> rolling = target;
    Optional<Decision> waiting =
        BatchWindow.hold(seen, target, draft, notes, owned)
            .or(() -> rolling.flatMap(t -> OnChainGate.awaiting(seen, t, draft, notes, owned)));
    if (waiting.isPresent()) {
      return waiting.get();
    }
    Instant restartBefore = Restarts.due(seen.app().getSpec(), seen.now()).orElse(null);
    Plan plan =
        target
            .map(
                t ->
                    RolloutPlanner.plan(
                        true,
                        desired.replicas(),
                        new Target(t.revision(), t.composeRevision(), restartBefore),
                        desired.rollout(),
                        observed))
            .orElse(new Plan(List.of(), justFailed));
    if (target.isEmpty() || plan.actions().isEmpty()) {
      Restarts.report(draft, seen.app().getSpec(), seen.now(), observed, desired.replicas());
      failures.completed(seen.app(), draft, desired, cloud.cvms(), cloud.history(), notes);
      histories.record(seen.app(), draft, desired, cloud.cvms(), cloud.history().value(), notes);
      return new Decision(owned, List.of(), null, null, draft, notes, plan.converging(), true);
    }
    // checkpoints during the pass must not say the app is at rest
    draft
        .conditions()
        .set(
            ConditionType.PROGRESSING,
            true,
            Reason.ROLLING_OUT,
            HealthReport.rollingOut(target.get().revision()));
    List<Step> planned = new StepsOf(target.get(), draft, seen.now()).of(plan, cloud.cvms());
    List<Step> steps = Placing.replicas(planned, seen, notes);
    return new Decision(
        owned, steps, target.get(), key.key().get(), draft, notes, plan.converging(), true);
  }

  /** Which of the reads only some decisions need the decision on {@code seen} needs. */
  /** {@code pinnedRevision}: the Phala Cloud revision a pin rolls out, when its copy is needed. */
  public record OptionalReads(
      boolean rollbackRevision, boolean history, Optional<String> pinnedRevision) {}

  /** {@link ReadsWanted#listed}. */
  public ListedReads listedReads(Observation seen) {
    return reads.listed(seen);
  }

  /** {@link ReadsWanted#attestations}. */
  public List<String> attestationsWanted(Observation seen) {
    return reads.attestations(seen);
  }

  /** {@link ReadsWanted#optional}. */
  public OptionalReads optionalReads(Observation seen) {
    return reads.optional(seen);
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

  /** Nothing is done until something changes; the warning is recorded once. */
  static Decision blocked(StatusDraft draft, Notes notes, Reason reason, String message) {
    notes.warnOnce(reason, message);
    draft.phase(Phase.BLOCKED);
    return Decision.none(Optional.empty(), draft, notes, false);
  }
}
