package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.cloud.CloudClients;
import cloud.phala.operator.app.cloud.Credentials;
import cloud.phala.operator.app.cloud.EnvKeyTrust;
import cloud.phala.operator.app.cloud.SharedCvmListing;
import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.app.lint.ComposeLint;
import cloud.phala.operator.app.owner.Claim;
import cloud.phala.operator.app.owner.Ownerships;
import cloud.phala.operator.app.plan.ObservedCvm;
import cloud.phala.operator.app.plan.Plan;
import cloud.phala.operator.app.plan.RolloutPlanner;
import cloud.phala.operator.app.plan.RolloutSettings;
import cloud.phala.operator.app.plan.Target;
import cloud.phala.operator.app.resolve.EnvResolver;
import cloud.phala.operator.app.resolve.OperatorSecrets;
import cloud.phala.operator.app.resolve.Resolution;
import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.app.resolve.SourceLookup;
import cloud.phala.operator.app.status.ConditionSet;
import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.status.EventRecorder;
import cloud.phala.operator.app.status.Phase;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaTransportException;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvViolation;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One pass over one PhalaApp: observe (sources, CVMs), plan, act within what the plan allows,
 * report. Level-triggered: it never asks what caused the pass.
 */
public final class AppSync {
  private final OperatorConfig config;
  private final Credentials credentials;
  private final CloudClients clients;
  private final EnvKeyTrust keyTrust;
  private final Revision revision;
  private final EventRecorder events;
  private final SharedCvmListing listing;
  private final FailurePolicy failures;
  private final CvmObservation observation;
  private final Clock clock;
  private final PassHook hook;
  private final Ownerships owners;
  private final OwnedApp ownedApp;

  public AppSync(
      OperatorConfig config,
      Credentials credentials,
      CloudClients clients,
      EnvKeyTrust keyTrust,
      Revision revision,
      EventRecorder events,
      SharedCvmListing listing,
      Clock clock,
      PassHook hook,
      Ownerships owners) {
    this.owners = owners;
    this.ownedApp = new OwnedApp(owners, config);
    this.hook = hook;
    this.listing = listing;
    this.failures = new FailurePolicy(new RollbackRecords(revision), events);
    this.observation = new CvmObservation(listing);
    this.clock = clock;
    this.config = config;
    this.credentials = credentials;
    this.clients = clients;
    this.keyTrust = keyTrust;
    this.revision = revision;
    this.events = events;
  }

  public SyncResult sync(PhalaApp app, SourceLookup lookup, StatusCheckpoint checkpoint) {
    PhalaAppSpec spec = app.getSpec();
    PhalaAppStatus previous = app.getStatus() == null ? new PhalaAppStatus() : app.getStatus();
    StatusDraft draft = StatusDraft.from(previous, spec, clock);
    ConditionSet conditions = draft.conditions();

    Optional<String> own = OperatorSecrets.referencedBy(app, lookup, config.defaultCredentials());
    if (own.isPresent()) {
      String message = OperatorSecrets.message(own.get());
      conditions.set(ConditionType.SECRETS_RESOLVED, false, Reason.OPERATOR_SECRET, message);
      warnOnChange(app, previous, Reason.OPERATOR_SECRET, message);
      draft.phase(Phase.BLOCKED);
      return draft.build(app, false);
    }
    Resolution resolution = EnvResolver.resolve(spec, lookup);
    if (!(resolution instanceof Resolution.Resolved resolved)) {
      blocked(app, draft, resolution);
      return draft.build(app, false);
    }
    conditions.set(
        ConditionType.SECRETS_RESOLVED,
        true,
        Reason.RESOLVED,
        "every referenced Secret and ConfigMap key was found");
    lint(app, draft, resolved);
    Revision bound = revision.forApp(app.getMetadata().getNamespace(), app.getMetadata().getName());
    Desired desired = desired(spec, resolved, bound);
    draft.earlierScheme(earlierNames(resolved, desired));
    draft.desired(desired);

    Credentials.Outcome credential = credentials.apiKeyFor(app, lookup::secret);
    if (credential.apiKey().isEmpty()) {
      conditions.set(
          ConditionType.READY, false, Reason.CREDENTIALS_UNAVAILABLE, credential.problem());
      warnOnChange(app, previous, Reason.CREDENTIALS_UNAVAILABLE, credential.problem());
      draft.phase(Phase.BLOCKED);
      return draft.build(app, false);
    }
    PhalaCloudClient client = clients.forKey(credential.apiKey().get());
    Optional<String> ownApiKey =
        spec.credentialsSecretRef == null ? Optional.empty() : credential.apiKey();
    try {
      return converge(app, client, draft, desired, ownApiKey, checkpoint);
    } catch (PhalaApiException | PhalaTransportException e) {
      conditions.set(ConditionType.PROGRESSING, true, Reason.CLOUD_UNAVAILABLE, e.getMessage());
      events.warning(app, Reason.CLOUD_ERROR, e.getMessage());
      return draft.build(app, true);
    }
  }

  private SyncResult converge(
      PhalaApp app,
      PhalaCloudClient client,
      StatusDraft draft,
      Desired desired,
      Optional<String> ownApiKey,
      StatusCheckpoint checkpoint) {
    ConditionSet conditions = draft.conditions();
    String name = owners.cvmName(app);
    Optional<Claim.Refused> refused = ownedApp.establish(app, name, client, draft, ownApiKey);
    if (refused.isPresent()) {
      conditions.set(ConditionType.READY, false, refused.get().reason(), refused.get().message());
      warnOnChange(app, app.getStatus(), refused.get().reason(), refused.get().message());
      draft.phase(Phase.BLOCKED);
      return draft.build(app, false);
    }
    List<Cvm> cvms =
        draft.appId() == null ? List.of() : observation.cvms(client, draft, app, desired);
    if (draft.appId() == null || (cvms.isEmpty() && desired.replicas() > 0)) {
      // No CVM to replicate from: (re)deploy. A provision that was never committed costs nothing.
      // With an app id, "no CVMs" is what GET /apps/{id}/cvms answered (a listing is never taken
      // for absence): a commit that never happened, or every CVM deleted outside the operator.
      // Redeploying is then right: spec.replicas asks for CVMs, and Phala Cloud adds one only by
      // copying another, so a new app (a new id, recorded anew) is the only way back. Were that
      // answer wrong while the app's first CVM lives, its name is taken: the provision is refused
      // (409) and the record still names the app.
      draft.forgetApp();
      boolean created =
          new AppCreator(client, keyTrust, config, events, owners, ownApiKey)
              .create(app, draft, desired, name, checkpoint);
      // a refused key waits for a change (an event), not for the next poll
      return draft.build(app, created);
    }
    String reportedKey = cvms.isEmpty() ? null : cvms.get(0).envPublicKey();
    boolean verify =
        app.getSpec().kms == null || !Boolean.FALSE.equals(app.getSpec().kms.verifyPublicKey);
    EnvKeyTrust.Outcome key =
        keyTrust.resolve(client, draft.kmsId(), draft.appId(), verify, reportedKey);
    conditions.set(ConditionType.PUBLIC_KEY_VERIFIED, key.verified(), key.reason(), key.message());
    if (key.rootKey() != null) {
      draft.kmsRootKey(key.rootKey());
    }
    if (key.key().isEmpty()) {
      warnOnChange(app, app.getStatus(), key.reason(), key.message());
      draft.observed(cvms);
      draft.phase(Phase.BLOCKED);
      return draft.build(app, false);
    }
    IntentCheck.settle(client, draft, cvms);
    draft.observed(cvms);
    List<ObservedCvm> observed = observed(draft, cvms);
    Optional<Desired> target = failures.target(app, draft, desired, observed, client);
    // a failure found now is acted on by the next pass, which comes soon
    boolean justFailed =
        target.isPresent() && failures.failed(app, draft, desired, target.get(), observed, client);
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
    if (target.isPresent() && !plan.actions().isEmpty()) {
      // checkpoints during the pass must not say the app is at rest
      draft
          .conditions()
          .set(
              ConditionType.PROGRESSING,
              true,
              Reason.ROLLING_OUT,
              "moving CVMs to revision " + target.get().revision());
      act(app, client, draft, target.get(), key.key().get(), plan, cvms, checkpoint);
    }
    List<Cvm> after = plan.actions().isEmpty() ? cvms : client.appCvms(draft.appId());
    draft.observed(after);
    failures.completed(app, draft, desired, after, client);
    boolean converging = plan.converging() || !plan.actions().isEmpty();
    new HealthReport(client, events).report(app, draft, after, converging);
    if (!plan.actions().isEmpty()) {
      hook.at(PassHook.Point.PASS_DONE, null, desired.revision());
    }
    return draft.build(app, converging);
  }

  private static List<ObservedCvm> observed(StatusDraft draft, List<Cvm> cvms) {
    return cvms.stream()
        .map(
            c -> {
              CvmRecord record = draft.records().get(c.vmUuid());
              return new ObservedCvm(
                  c.vmUuid(),
                  c.status(),
                  c.inProgress(),
                  record == null ? null : record.revision(),
                  record == null ? null : record.composeRevision(),
                  record == null ? null : record.givenAt());
            })
        .toList();
  }

  private void act(
      PhalaApp app,
      PhalaCloudClient client,
      StatusDraft draft,
      Desired target,
      EnvPublicKey key,
      Plan plan,
      List<Cvm> cvms,
      StatusCheckpoint checkpoint) {
    CvmActions actions =
        new CvmActions(
            client,
            key,
            target,
            draft,
            () -> checkpoint.write(draft.toStatus(app)),
            app,
            events,
            hook);
    actions.runAll(plan, cvms);
  }

  /** The names the unbound scheme gave these same inputs, and this scheme's. */
  private Map<String, String> earlierNames(Resolution.Resolved resolved, Desired desired) {
    return Map.of(
        revision.of(resolved.env(), resolved.compose(), resolved.preLaunchScript()),
        desired.revision(),
        revision.ofCompose(resolved.env().keys(), resolved.compose(), resolved.preLaunchScript()),
        desired.composeRevision());
  }

  private Desired desired(PhalaAppSpec spec, Resolution.Resolved resolved, Revision bound) {
    int replicas = spec.replicas == null ? 1 : spec.replicas;
    return new Desired(
        new EnvPayload.Fresh(resolved.env()),
        resolved.compose(),
        resolved.preLaunchScript(),
        bound.of(resolved.env(), resolved.compose(), resolved.preLaunchScript()),
        bound.ofCompose(resolved.env().keys(), resolved.compose(), resolved.preLaunchScript()),
        replicas,
        RolloutSettings.from(spec.rollout, replicas));
  }

  private void blocked(PhalaApp app, StatusDraft draft, Resolution resolution) {
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
    warnOnChange(app, app.getStatus(), reason, message);
    draft.phase(Phase.BLOCKED);
  }

  private void lint(PhalaApp app, StatusDraft draft, Resolution.Resolved resolved) {
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
    warnOnChange(app, app.getStatus(), Reason.COMPOSE_WARNING, message);
  }

  /** A Warning Event, only when this message is new (so a steady state emits nothing). */
  private void warnOnChange(PhalaApp app, PhalaAppStatus previous, Reason reason, String message) {
    boolean seen =
        previous != null
            && previous.conditions != null
            && previous.conditions.stream()
                .anyMatch(
                    c ->
                        message.equals(c.getMessage())
                            || (c.getMessage() != null && c.getMessage().startsWith(message)));
    if (!seen) {
      events.warning(app, reason, message);
    }
  }
}
