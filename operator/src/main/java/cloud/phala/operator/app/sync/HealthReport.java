package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.status.ConditionSet;
import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.status.EventRecorder;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.ArrayList;
import java.util.List;

/** Ready, Progressing and Degraded from the CVMs as observed after this pass's actions. */
final class HealthReport {
  private final PhalaCloudClient client;
  private final EventRecorder events;

  HealthReport(PhalaCloudClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
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

  void report(PhalaApp app, StatusDraft draft, List<Cvm> cvms, boolean converging) {
    ConditionSet conditions = draft.conditions();
    int replicas = app.getSpec().replicas == null ? 1 : app.getSpec().replicas;
    String revision = draft.toStatus(app).envRevision;
    long updated =
        cvms.stream()
            .filter(c -> c.isServing() && revision.equals(draft.revisionOf(c.vmUuid())))
            .count();
    boolean ready = updated == replicas && cvms.size() == replicas;
    conditions.set(
        ConditionType.READY,
        ready,
        ready ? Reason.ALL_REPLICAS_READY : Reason.REPLICAS_NOT_READY,
        updated + "/" + replicas + " replicas run revision " + revision);
    boolean paused =
        app.getSpec().rollout != null && Boolean.TRUE.equals(app.getSpec().rollout.paused);
    if (draft.failedOnDesired()) {
      reportFailure(draft, converging, revision);
      return;
    }
    if (paused) {
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
    } else {
      conditions.set(
          ConditionType.PROGRESSING,
          converging,
          converging ? Reason.ROLLING_OUT : Reason.CONVERGED,
          converging
              ? "moving CVMs to revision " + revision
              : "every CVM runs revision " + revision);
    }
    List<String> failures = new ArrayList<>();
    for (Cvm cvm : cvms) {
      if ("error".equals(cvm.status()) && !cvm.inProgress()) {
        String error = client.state(cvm.vmUuid()).bootError().orElse("boot failed");
        failures.add("CVM " + cvm.name() + ": " + error);
      }
    }
    if (failures.isEmpty()) {
      conditions.set(ConditionType.DEGRADED, false, Reason.NO_FAILURES, "no CVM failed to boot");
      return;
    }
    String message = String.join("; ", failures);
    boolean wasDegraded =
        app.getStatus() != null
            && app.getStatus().conditions != null
            && app.getStatus().conditions.stream()
                .anyMatch(
                    c ->
                        ConditionType.DEGRADED.wire().equals(c.getType())
                            && message.equals(c.getMessage()));
    conditions.set(ConditionType.DEGRADED, true, Reason.BOOT_FAILED, message);
    if (!wasDegraded) {
      events.warning(app, Reason.BOOT_FAILED, message);
    }
  }
}
