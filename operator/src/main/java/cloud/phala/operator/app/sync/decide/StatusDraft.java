package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.app.status.ConditionSet;
import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.status.Phase;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The status a pass is building: what carries over from the previous status (app id, recorded KMS
 * root key, which revision each CVM was given) and what this pass observed and decided. Turned into
 * a fresh {@link PhalaAppStatus} by {@link StatusProjection}, for checkpoints and for the final
 * write; the fields it reads are package-private for that.
 */
public final class StatusDraft {
  final PhalaAppStatus previous;
  final PhalaAppSpec spec;
  private final ConditionSet conditions = new ConditionSet();
  private final Map<String, CvmRecord> records;
  final Map<String, Instant> runningSince = new LinkedHashMap<>();
  Instant observedAt;
  private String appId;
  private String kmsId;
  private String kmsRootKey;
  Phase phase;
  Desired desired;
  PhalaAppStatus.ObservedInputs inputs;
  List<Cvm> observed;
  private Instant batchUntil;
  private final Instant now;
  private final PhalaAppStatus.RolloutStatus rollout;
  private final List<CvmRecord.Intent> pendingReplicas = new ArrayList<>();
  private final HistoryDraft history;
  private final Attested attested;

  private StatusDraft(PhalaAppStatus previous, PhalaAppSpec spec, Instant now) {
    this.previous = previous;
    this.spec = spec;
    this.now = now;
    this.observedAt = now;
    this.rollout = StatusCopies.copy(previous.rollout);
    if (previous.rollout != null && previous.rollout.pendingReplicas != null) {
      previous.rollout.pendingReplicas.forEach(i -> pendingReplicas.add(CvmRecord.Intent.from(i)));
    }
    this.records = StatusCopies.records(previous);
    this.appId = previous.appId;
    this.kmsId = previous.kmsId;
    this.kmsRootKey = previous.kmsRootKey;
    this.history = new HistoryDraft(previous);
    this.attested = new Attested(previous, spec);
  }

  public static StatusDraft from(PhalaAppStatus previous, PhalaAppSpec spec, Instant now) {
    return new StatusDraft(previous == null ? new PhalaAppStatus() : previous, spec, now);
  }

  /** The moment the pass observed the app. */
  Instant now() {
    return now;
  }

  /** When the desired revision, waiting for its inputs to be quiet, starts rolling out; or null. */
  Instant batchUntil() {
    return batchUntil;
  }

  void batchUntil(Instant start) {
    batchUntil = start;
  }

  /** The rollout's lasting state; a failure of another revision than the desired one is over. */
  PhalaAppStatus.RolloutStatus rollout() {
    return rollout;
  }

  /** Replicas asked for whose CVM was not seen yet. */
  List<CvmRecord.Intent> pendingReplicas() {
    return pendingReplicas;
  }

  /** Revision number, history and restart, as this pass leaves them. */
  HistoryDraft history() {
    return history;
  }

  ConditionSet conditions() {
    return conditions;
  }

  String appId() {
    return appId;
  }

  String kmsId() {
    return kmsId;
  }

  String kmsRootKey() {
    return kmsRootKey;
  }

  void kmsRootKey(String rootKey) {
    this.kmsRootKey = rootKey;
  }

  /** The app this PhalaApp owns, whatever the previous status said. */
  void adopt(String appId, String kmsId) {
    this.appId = appId;
    this.kmsId = kmsId;
  }

  private void created(String appId, String kmsId) {
    adopt(appId, kmsId);
    this.records.clear();
  }

  void forgetApp() {
    this.appId = null;
    this.records.clear();
    this.pendingReplicas.clear();
  }

  void desired(Desired desired) {
    this.desired = desired;
    BatchWindow.changed(
        previous, rollout, desired.revision(), EffectiveSpec.of(spec).batchWindow(), now);
    if (rollout.failedRevision != null && !rollout.failedRevision.equals(desired.revision())) {
      rollout.failedRevision = null;
      rollout.failure = null;
      rollout.failedAt = null;
      rollout.action = null;
    }
  }

  /** What the desired revision was computed from, by version. */
  void inputs(PhalaAppStatus.ObservedInputs inputs) {
    this.inputs = inputs;
  }

  /**
   * Status written before revisions were bound to the app names the same inputs differently: those
   * names are taken as this scheme's, so an upgrade restarts no CVM. {@code names}: earlier name to
   * current name, for the desired revision and compose revision.
   */
  void earlierScheme(Map<String, String> names) {
    if (previous.revisionScheme != null && previous.revisionScheme >= Revision.SCHEME) {
      return;
    }
    records.replaceAll((id, record) -> record.renamed(names));
    pendingReplicas.replaceAll(intent -> intent.renamed(names));
    rollout.lastGoodRevision = CvmRecord.rename(names, rollout.lastGoodRevision);
    rollout.failedRevision = CvmRecord.rename(names, rollout.failedRevision);
  }

  /** The revision a rollout failed on is the one desired now: nothing is done until it changes. */
  boolean failedOnDesired() {
    return desired != null && desired.revision().equals(rollout.failedRevision);
  }

  void phase(Phase phase) {
    this.phase = phase;
  }

  /** {@code seenAt}: no earlier than what {@code cvms} shows. */
  void observed(List<Cvm> cvms, Instant seenAt) {
    this.observed = new ArrayList<>(cvms);
    records.keySet().retainAll(cvms.stream().map(Cvm::vmUuid).toList());
    this.observedAt = seenAt;
    runningSince.clear();
    runningSince.putAll(RunningSince.of(previous, cvms, records, seenAt));
  }

  /** Whether it had served {@code minReadySeconds} when seen (a listing may follow now). */
  boolean available(String vmUuid) {
    var minReady = EffectiveSpec.of(spec).minReady();
    return RunningSince.available(runningSince.get(vmUuid), minReady, observedAt)
        && !AttestationGate.holdsBack(this, vmUuid);
  }

  /** Since when it has served its revision, as this pass sees it; null: not serving. */
  Instant runningSince(String vmUuid) {
    return runningSince.get(vmUuid);
  }

  Attested attested() {
    return attested;
  }

  /** A CVM update is about to be sent: recorded as an intent first. */
  public void intendUpdate(String vmUuid, CvmRecord.Intent intent) {
    records.put(vmUuid, records.getOrDefault(vmUuid, new CvmRecord(null, null)).intending(intent));
  }

  /** Phala Cloud accepted the update: the CVM has the revision, and is restarting. */
  public void updated(String vmUuid, CvmRecord.Intent intent) {
    records.put(vmUuid, CvmRecord.given(intent));
    runningSince.remove(vmUuid);
    observed.replaceAll(c -> c.vmUuid().equals(vmUuid) ? CvmStatuses.restarting(c) : c);
  }

  /** A replica is about to be requested: recorded as a pending replica first. */
  public void intendReplica(CvmRecord.Intent intent) {
    pendingReplicas.add(intent);
  }

  /** A CVM this pass created: status lists it from now on, so a checkpoint keeps its record. */
  public void replicaAdded(CvmRecord.Intent intent, Cvm cvm) {
    pendingReplicas.remove(intent);
    records.put(cvm.vmUuid(), CvmRecord.given(intent));
    observed.add(cvm);
  }

  public void removed(String vmUuid) {
    records.remove(vmUuid);
    runningSince.remove(vmUuid);
    observed.removeIf(c -> c.vmUuid().equals(vmUuid));
  }

  /** The app's first CVM is about to be committed: the app and the CVM are recorded first. */
  public void intendCommit(String appId, String kmsId, CvmRecord.Intent intent) {
    created(appId, kmsId);
    pendingReplicas.add(intent);
  }

  public void committed(CvmRecord.Intent intent, Cvm cvm) {
    pendingReplicas.remove(intent);
    records.put(cvm.vmUuid(), CvmRecord.given(intent));
    observed(List.of(cvm), now);
    conditions.set(
        ConditionType.PROGRESSING,
        true,
        Reason.CREATING,
        "first CVM " + cvm.name() + " is booting");
    conditions.set(ConditionType.READY, false, Reason.CREATING, "no CVM runs yet");
  }

  /** The CVMs as this pass last saw them, with its own steps' effects applied. */
  List<Cvm> observed() {
    return observed == null ? List.of() : observed;
  }

  Map<String, CvmRecord> records() {
    return records;
  }

  /** The CVM's record as this pass has it now (its intent included), or null. */
  public CvmRecord record(String vmUuid) {
    return records.get(vmUuid);
  }

  /** The CVM's phase in the previous status (at a checkpoint: when the intent was written). */
  String previousPhase(String vmUuid) {
    return previous.cvms == null
        ? null
        : previous.cvms.stream()
            .filter(c -> vmUuid.equals(c.cvmId))
            .findFirst()
            .map(c -> c.phase)
            .orElse(null);
  }

  String revisionOf(String vmUuid) {
    CvmRecord record = records.get(vmUuid);
    return record == null ? null : record.revision();
  }

  /** The revision status names as desired. */
  String envRevision() {
    return desired != null ? desired.revision() : previous.envRevision;
  }

  public PhalaAppStatus toStatus(PhalaApp app) {
    return toStatus(app, java.util.Set.of());
  }

  /** {@code restarting}: shown as their accepted steps will leave them, their intents kept. */
  PhalaAppStatus toStatus(PhalaApp app, java.util.Set<String> restarting) {
    return StatusProjection.toStatus(this, app, restarting);
  }
}
