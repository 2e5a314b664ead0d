package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.sync.decide.CvmRecord;
import cloud.phala.operator.app.sync.decide.StatusDraft;
import cloud.phala.operator.app.sync.decide.Step;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.Provisioned;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The intents of updates go to the intent journal, shared by the passes of many apps and written
 * once for all of them (a status checkpoint is one write per app), each with the whole checkpoint
 * the status would have been written with; the status is written after the step, as the pass's
 * final status. Every other intent, and an update's when the journal has no room, is a status
 * checkpoint as in {@link StatusIntentLog}.
 */
final class JournalIntentLog implements IntentLog {
  private final StatusIntentLog status;
  private final JournalWrite journal;
  private final StatusDraft draft;

  JournalIntentLog(StatusIntentLog status, JournalWrite journal, StatusDraft draft) {
    this.status = status;
    this.journal = journal;
    this.draft = draft;
  }

  @Override
  public Map<Step, CvmRecord.Intent> beforeAll(List<Step.Update> updates) {
    Map<Step, CvmRecord.Intent> intents = new IdentityHashMap<>();
    Map<String, CvmRecord> byCvm = new LinkedHashMap<>();
    for (Step.Update update : updates) {
      intents.put(update, status.intend(update));
      byCvm.put(update.vmUuid(), draft.record(update.vmUuid()));
    }
    PhalaAppStatus checkpoint = status.checkpoint();
    if (!journal.write(byCvm, checkpoint)) {
      status.write(checkpoint);
    }
    return intents;
  }

  @Override
  public CvmRecord.Intent before(Step step) {
    if (step instanceof Step.Update update) {
      return beforeAll(List.of(update)).get(update);
    }
    return status.before(step);
  }

  @Override
  public void accepted(Step step, CvmRecord.Intent intent, Cvm created) {
    status.accepted(step, intent, created);
  }

  @Override
  public void provisioned(Step.Provision step, Provisioned provisioned) {
    status.provisioned(step, provisioned);
  }

  @Override
  public void commitRefused(Step.Commit step) {
    status.commitRefused(step);
  }
}
