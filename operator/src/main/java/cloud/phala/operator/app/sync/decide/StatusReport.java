package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.CvmState;
import cloud.phala.operator.crd.OnChainApproval;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.Map;

/**
 * The status a pass writes at its end: what it decided, the outcomes of the steps it took, and
 * Ready, Progressing and Degraded from the CVMs as the steps left them. Time is the pass's own
 * (when it observed), never the wall clock at writing.
 */
public final class StatusReport {
  private StatusReport() {}

  /** {@code converging}: whether the app goes on converging after this pass. */
  public static PhalaAppStatus of(
      PhalaApp app, Decision decision, Map<String, CvmState> states, boolean converging) {
    StatusDraft draft = decision.draft();
    if (decision.reportsHealth()) {
      HealthReport.report(
          EffectiveSpec.of(app.getSpec()), draft, converging, states, decision.notes());
    }
    return draft.toStatus(app);
  }

  /**
   * Phala Cloud answered 465 to a step of an on-chain KMS app: the change waits for its owner's
   * approval, the CVMs serving what they run (the step's intent settles as not given).
   */
  public static PhalaAppStatus awaitingApproval(
      PhalaApp app, Decision decision, OnChainApproval approval) {
    StatusDraft draft = decision.draft();
    OnChainGate.refused(
        draft, decision.notes(), decision.target().revision(), approval, draft.now());
    return draft.toStatus(app);
  }

  /**
   * The status an intent is written with: what the pass's final status will say once the CVMs
   * {@code restarting} had their steps accepted, but with each step still an intent. So the final
   * status differs from it only in the intents settled, which can wait for the next write (an
   * operator that dies first settles them from Phala Cloud's answer, as after any crash).
   */
  public static PhalaAppStatus checkpoint(
      PhalaApp app,
      Decision decision,
      Map<String, CvmState> states,
      boolean converging,
      java.util.Set<String> restarting) {
    StatusDraft draft = decision.draft();
    if (decision.reportsHealth() && !restarting.isEmpty()) {
      HealthReport.report(EffectiveSpec.of(app.getSpec()), draft, converging, states, new Notes());
    }
    return draft.toStatus(app, restarting);
  }

  /** Phala Cloud failed a step: the status as far as the steps got, converging still. */
  public static PhalaAppStatus stepFailed(PhalaApp app, Decision decision, String problem) {
    decision
        .draft()
        .conditions()
        .set(ConditionType.PROGRESSING, true, Reason.CLOUD_UNAVAILABLE, problem);
    decision.notes().warning(Reason.CLOUD_ERROR, problem);
    return decision.draft().toStatus(app);
  }
}
