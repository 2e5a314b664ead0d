package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.owner.Ownerships;
import cloud.phala.operator.app.sync.decide.CvmRecord;
import cloud.phala.operator.app.sync.decide.Decision;
import cloud.phala.operator.app.sync.decide.StatusDraft;
import cloud.phala.operator.app.sync.decide.StatusReport;
import cloud.phala.operator.app.sync.decide.Step;
import cloud.phala.operator.app.sync.decide.StepNotes;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.CvmState;
import cloud.phala.operator.cloud.Provisioned;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.time.Clock;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The intent log in the PhalaApp's status: an intent is a checkpoint of the status with the step
 * recorded in it. A first deploy also records the app in the operator's own record before the
 * commit.
 */
final class StatusIntentLog implements IntentLog {
  private final PhalaApp app;
  private final Decision decision;
  private final StatusCheckpoint checkpoint;
  private final Ownerships owners;
  private final Optional<String> ownApiKey;
  private final Optional<String> claimedAppId;
  private final Provisions provisions;
  private final Clock clock;
  private final Map<String, CvmState> states;
  private final Set<String> restarting = new HashSet<>();

  StatusIntentLog(
      PhalaApp app,
      Decision decision,
      StatusCheckpoint checkpoint,
      Ownerships owners,
      Optional<String> ownApiKey,
      Optional<String> claimedAppId,
      Provisions provisions,
      Clock clock,
      Map<String, CvmState> states) {
    this.app = app;
    this.decision = decision;
    this.checkpoint = checkpoint;
    this.owners = owners;
    this.ownApiKey = ownApiKey;
    this.claimedAppId = claimedAppId;
    this.provisions = provisions;
    this.clock = clock;
    this.states = states;
  }

  @Override
  public Map<Step, CvmRecord.Intent> beforeAll(List<Step.Update> updates) {
    Map<Step, CvmRecord.Intent> intents = new IdentityHashMap<>();
    for (Step.Update update : updates) {
      intents.put(update, intend(update));
    }
    write();
    return intents;
  }

  /** Records the update's intent in the draft, stamped now; writes nothing. */
  CvmRecord.Intent intend(Step.Update update) {
    CvmRecord.Intent intent = update.intent().at(clock.instant());
    decision.draft().intendUpdate(update.vmUuid(), intent);
    restarting.add(update.vmUuid());
    return intent;
  }

  /** Writes the draft as a status checkpoint. */
  void write() {
    write(checkpoint());
  }

  void write(PhalaAppStatus status) {
    checkpoint.write(status);
  }

  /** The status checkpoint of the draft as it stands. */
  PhalaAppStatus checkpoint() {
    return StatusReport.checkpoint(
        app, decision, states, decision.convergingAfterSteps(), Set.copyOf(restarting));
  }

  @Override
  public CvmRecord.Intent before(Step step) {
    StatusDraft draft = decision.draft();
    CvmRecord.Intent intent;
    if (step instanceof Step.Update update) {
      intent = intend(update);
    } else if (step instanceof Step.AddReplica add) {
      intent = add.intent().at(clock.instant());
      draft.intendReplica(intent);
    } else if (step instanceof Step.Commit commit) {
      intent = commit.intent().at(clock.instant());
      Provisioned provisioned = commit.provisioned();
      draft.intendCommit(provisioned.appId(), provisioned.kmsId(), intent);
      owners.deployed(app, provisioned.appId(), provisioned.kmsId(), ownApiKey, claimedAppId);
    } else {
      return null;
    }
    write();
    return intent;
  }

  @Override
  public void accepted(Step step, CvmRecord.Intent intent, Cvm created) {
    StatusDraft draft = decision.draft();
    if (step instanceof Step.Update update) {
      draft.updated(update.vmUuid(), intent);
    } else if (step instanceof Step.AddReplica) {
      draft.replicaAdded(intent, created);
    } else if (step instanceof Step.Remove remove) {
      draft.removed(remove.vmUuid());
    } else if (step instanceof Step.Commit) {
      draft.committed(intent, created);
      provisions.forget(app);
    }
    StepNotes.accepted(decision.notes(), step, decision.target(), created);
  }

  @Override
  public void provisioned(Step.Provision step, Provisioned provisioned) {
    provisions.made(app, decision.target().composeRevision(), provisioned);
  }

  @Override
  public void commitRefused(Step.Commit step) {
    provisions.forget(app);
  }
}
