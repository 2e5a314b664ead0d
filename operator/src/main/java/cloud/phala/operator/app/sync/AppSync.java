package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.cloud.CloudClients;
import cloud.phala.operator.app.cloud.Credentials;
import cloud.phala.operator.app.cloud.EnvKeyTrust;
import cloud.phala.operator.app.cloud.SharedCvmListing;
import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.app.owner.Claim;
import cloud.phala.operator.app.owner.Ownerships;
import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.app.resolve.SourceLookup;
import cloud.phala.operator.app.status.EventRecorder;
import cloud.phala.operator.app.sync.decide.Decider;
import cloud.phala.operator.app.sync.decide.Decision;
import cloud.phala.operator.app.sync.decide.Notes;
import cloud.phala.operator.app.sync.decide.Observation;
import cloud.phala.operator.app.sync.decide.OnChainGate;
import cloud.phala.operator.app.sync.decide.StatusReport;
import cloud.phala.operator.cloud.CvmState;
import cloud.phala.operator.cloud.OnChainApprovalRequired;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaTransportException;
import cloud.phala.operator.crd.OnChainApproval;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * One pass over one PhalaApp, in four phases: observe (every read), decide (pure), act (the decided
 * steps, each intent written first), report (the status and the Events). Level-triggered: it never
 * asks what caused the pass.
 */
public final class AppSync {
  /** The MDC key of the revision a pass works towards (the JSON logs' mdc.revision). */
  public static final String LOG_REVISION = "revision";

  private final Observer observer;
  private final Decider decider;
  private final Actor actor;
  private final Ownerships owners;
  private final Provisions provisions = new Provisions();
  private final EventRecorder events;
  private final PassHook hook;
  private final Clock clock;

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
    this.decider = new Decider(revision);
    this.observer =
        new Observer(
            config,
            credentials,
            clients,
            keyTrust,
            revision,
            owners,
            new CvmObservation(listing),
            provisions,
            decider,
            clock);
    this.actor = new Actor(hook);
    this.owners = owners;
    this.events = events;
    this.hook = hook;
    this.clock = clock;
  }

  public SyncResult sync(PhalaApp app, SourceLookup lookup, StatusCheckpoint checkpoint) {
    return sync(app, lookup, checkpoint, null);
  }

  /**
   * {@code journal}: where the intents of updates go before they are sent instead of a status
   * checkpoint (null: to status, as every other intent).
   */
  public SyncResult sync(
      PhalaApp app, SourceLookup lookup, StatusCheckpoint checkpoint, JournalWrite journal) {
    Observer.Observed observed = observer.observe(app, lookup);
    Observation seen = observed.observation();
    hook.at(PassHook.Point.OBSERVED, null, null);
    Decision decision = decider.decide(seen);
    if (decision.target() != null) {
      MDC.put(LOG_REVISION, decision.target().revision());
    }
    boolean converging = decision.convergingAfterSteps();
    Map<String, CvmState> states = seen.cloud() == null ? Map.of() : seen.cloud().states();
    try {
      decision
          .owned()
          .ifPresent(
              claim -> {
                owners.settle(claim, seen.kmsId());
                owners.apiKeyInUse(app, observed.ownApiKey());
              });
      StatusIntentLog log =
          new StatusIntentLog(
              app,
              decision,
              checkpoint,
              owners,
              observed.ownApiKey(),
              seen.claim() instanceof Claim.Owned owned
                  ? Optional.of(owned.appId())
                  : Optional.empty(),
              provisions,
              clock,
              states);
      actor.act(
          decision,
          observed.client(),
          journal == null ? log : new JournalIntentLog(log, journal, decision.draft()));
      if (!decision.steps().isEmpty()) {
        hook.at(PassHook.Point.PASS_DONE, null, decision.target().revision());
      }
    } catch (OnChainApprovalRequired e) {
      PhalaAppStatus waiting =
          StatusReport.awaitingApproval(
              app, decision, approval(e, seen.claim() instanceof Claim.Owned o ? o.appId() : null));
      record(app, seen, decision.notes());
      return new SyncResult(waiting, false, Optional.of(OnChainGate.POLL));
    } catch (PhalaApiException | PhalaTransportException e) {
      SyncResult failed =
          new SyncResult(StatusReport.stepFailed(app, decision, e.getMessage()), true);
      record(app, seen, decision.notes());
      return failed;
    }
    SyncResult result =
        new SyncResult(
            StatusReport.of(app, decision, states, converging),
            converging,
            decision.wakeAt().map(at -> Duration.between(clock.instant(), at)));
    record(app, seen, decision.notes());
    return result;
  }

  /** What the 465 asks the owner to register; hex without 0x. */
  private static OnChainApproval approval(OnChainApprovalRequired e, String appId) {
    OnChainApproval out = new OnChainApproval();
    out.composeHash = e.composeHash().map(AppSync::bare).orElse(null);
    out.appId = bare(e.appId().orElse(appId));
    out.deviceId = e.deviceId().map(AppSync::bare).orElse(null);
    out.chainId = e.chainId().map(String::valueOf).orElse(null);
    e.commit()
        .ifPresent(
            c -> {
              out.commitCvmId = c.cvmId();
              out.commitToken = c.token();
              out.commitUrl = c.url();
            });
    return out;
  }

  private static String bare(String hex) {
    return hex == null || !hex.startsWith("0x") ? hex : hex.substring(2);
  }

  private void record(PhalaApp app, Observation seen, Notes notes) {
    for (Notes.Note note : notes.toRecord(seen.previous())) {
      if (note.warning()) {
        events.warning(app, note.reason(), note.message());
      } else {
        events.normal(app, note.reason(), note.message());
      }
    }
  }
}
