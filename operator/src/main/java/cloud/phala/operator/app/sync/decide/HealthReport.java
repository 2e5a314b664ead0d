package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.status.ConditionSet;
import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.CvmState;
import cloud.phala.operator.crd.AttestationPolicy;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ready, Progressing and Degraded from the CVMs as the pass last saw them, its own steps' effects
 * applied. Pure: boot errors come from the states observe read.
 */
final class HealthReport {
  private HealthReport() {}

  static void report(
      EffectiveSpec spec,
      StatusDraft draft,
      boolean converging,
      Map<String, CvmState> states,
      Notes notes) {
    ConditionSet conditions = draft.conditions();
    List<Cvm> cvms = draft.observed();
    int replicas = spec.replicas();
    String revision = draft.envRevision();
    List<Cvm> serving =
        cvms.stream()
            .filter(c -> c.isServing() && revision.equals(draft.revisionOf(c.vmUuid())))
            .toList();
    long updated = serving.stream().filter(c -> draft.available(c.vmUuid())).count();
    long warming = serving.size() - updated;
    boolean ready = updated == replicas && cvms.size() == replicas;
    conditions.set(
        ConditionType.READY,
        ready,
        ready ? Reason.ALL_REPLICAS_READY : Reason.REPLICAS_NOT_READY,
        updated
            + "/"
            + replicas
            + " replicas run revision "
            + revision
            + (warming == 0
                ? ""
                : "; "
                    + warming
                    + " more for less than spec.minReadySeconds"
                    + (draft.attested().mode() == AttestationPolicy.Mode.Required
                        ? " or not attested yet"
                        : "")));
    if (draft.failedOnDesired()) {
      reportFailure(draft, converging, revision);
      return;
    }
    if (draft.batchUntil() != null) {
      conditions.set(
          ConditionType.PROGRESSING,
          true,
          Reason.BATCH_WINDOW,
          BatchWindow.waiting(spec.batchWindow())
              + "; revision "
              + revision
              + " starts rolling out at "
              + draft.batchUntil());
    } else if (draft.rollout().awaitingApproval != null) {
      conditions.set(
          ConditionType.PROGRESSING,
          true,
          Reason.AWAITING_APPROVAL,
          OnChainGate.message(draft.rollout().awaitingApproval));
    } else if (spec.paused()) {
      conditions.set(
          ConditionType.PROGRESSING,
          false,
          Reason.PAUSED,
          "spec.rollout.paused is true: no CVM is changed; "
              + updated
              + "/"
              + replicas
              + " replicas run revision "
              + revision);
    } else if (converging && notes.lasting(Reason.DEVICE_NOT_ALLOWED).isPresent()) {
      conditions.set(
          ConditionType.PROGRESSING,
          true,
          Reason.DEVICE_NOT_ALLOWED,
          notes.lasting(Reason.DEVICE_NOT_ALLOWED).get());
    } else if (converging && notes.lasting(Reason.NODE_UNAVAILABLE).isPresent()) {
      conditions.set(
          ConditionType.PROGRESSING,
          true,
          Reason.NODE_UNAVAILABLE,
          notes.lasting(Reason.NODE_UNAVAILABLE).get());
    } else {
      conditions.set(
          ConditionType.PROGRESSING,
          converging,
          converging ? Reason.ROLLING_OUT : Reason.CONVERGED,
          converging ? rollingOut(revision) : "every CVM runs revision " + revision);
    }
    List<String> failures = new ArrayList<>();
    for (Cvm cvm : cvms) {
      if ("error".equals(cvm.status()) && !cvm.inProgress()) {
        CvmState state = states.get(cvm.vmUuid());
        String error = state == null ? "boot failed" : state.bootError().orElse("boot failed");
        failures.add("CVM " + cvm.name() + ": " + error);
      }
    }
    if (failures.isEmpty()) {
      conditions.set(ConditionType.DEGRADED, false, Reason.NO_FAILURES, "no CVM failed to boot");
      return;
    }
    String message = String.join("; ", failures);
    conditions.set(ConditionType.DEGRADED, true, Reason.BOOT_FAILED, message);
    notes.warnOnce(Reason.BOOT_FAILED, message);
  }

  /** What Progressing says while a rollout moves CVMs to {@code revision}. */
  static String rollingOut(String revision) {
    return "moving CVMs to revision " + revision;
  }

  /** A failed rollout: Degraded says why and what was done, until the spec or a source changes. */
  private static void reportFailure(StatusDraft draft, boolean converging, String revision) {
    ConditionSet conditions = draft.conditions();
    PhalaAppStatus.RolloutStatus rollout = draft.rollout();
    boolean halted = FailurePolicy.HALTED.equals(rollout.action);
    String done =
        halted
            ? "rollout halted; replicas not on revision " + revision + " are left as they are"
            : "rolled back to revision " + rollout.lastGoodRevision;
    conditions.set(
        ConditionType.DEGRADED,
        true,
        halted ? Reason.ROLLOUT_HALTED : Reason.ROLLED_BACK,
        rollout.failure + "; " + done + "; change the spec or a referenced Secret to try again");
    if (halted) {
      conditions.set(
          ConditionType.PROGRESSING,
          false,
          Reason.ROLLOUT_HALTED,
          "revision " + revision + " failed");
    } else {
      conditions.set(
          ConditionType.PROGRESSING,
          converging,
          converging ? Reason.ROLLING_BACK : Reason.ROLLED_BACK,
          (converging ? "moving CVMs back to revision " : "every CVM runs revision ")
              + rollout.lastGoodRevision);
    }
  }
}
