package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.crd.PhalaAppStatus;

/**
 * Which reads around the listed CVMs a pass needs, decided once the CVMs and the states of those
 * with an intent are read. A rollout that cannot move (paused, or halted on the desired revision)
 * adds no CVM and moves none to another image, so an app that rests so reads neither the nodes nor
 * the OS images pass after pass; nor the boot errors a halt already records.
 *
 * @param bootErrors {@code GET /state} of CVMs whose boot failed: not while the rollout stays
 *     halted on the desired revision, whose failure status already records
 * @param osImages the OS images a CVM can move to: not while a paused rollout's status already says
 *     {@code Paused} on this very revision (the image was offered when it was paused; the read
 *     could only say so again, and one that stops being offered is found when the rollout resumes)
 * @param nodes the nodes new CVMs can go to: not while the rollout is paused or halted
 */
public record ListedReads(boolean bootErrors, boolean osImages, boolean nodes) {

  static ListedReads of(StatusDraft draft, Desired desired, PhalaAppStatus previous) {
    boolean halted = draft.failedOnDesired() && FailurePolicy.HALTED.equals(draft.rollout().action);
    boolean paused = desired.rollout().paused();
    return new ListedReads(
        !halted, !(paused && pausedOn(previous, desired.revision())), !paused && !halted);
  }

  private static boolean pausedOn(PhalaAppStatus previous, String revision) {
    return previous != null
        && revision.equals(previous.envRevision)
        && previous.conditions != null
        && previous.conditions.stream()
            .anyMatch(
                c ->
                    ConditionType.PROGRESSING.wire().equals(c.getType())
                        && Reason.PAUSED.wire().equals(c.getReason()));
  }
}
