package cloud.phala.operator.app.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A toy cloud for planner tests: it carries out a plan's actions as Phala Cloud and the operator's
 * actor would (a new replica boots the compose and key set of the CVM it is copied from, chosen as
 * the actor chooses it), and finishes every operation in progress when asked.
 */
final class ToyCloud {
  static final String MIXED = "copied-from-another-compose";

  private final List<ObservedCvm> cvms;
  private int next;

  ToyCloud(List<ObservedCvm> cvms) {
    this.cvms = new ArrayList<>(cvms);
  }

  List<ObservedCvm> cvms() {
    return List.copyOf(cvms);
  }

  long serving() {
    return cvms.stream().filter(ObservedCvm::serving).count();
  }

  /** Every restart, boot and shutdown in progress completes, and the CVM serves. */
  void finishOperations() {
    cvms.replaceAll(
        c ->
            c.busy()
                ? new ObservedCvm(
                    c.vmUuid(), "running", false, c.revision(), c.composeRevision(), null)
                : c);
  }

  void apply(Plan plan, Target target) {
    List<String> removed =
        plan.actions().stream()
            .filter(a -> a instanceof Action.Remove)
            .map(a -> ((Action.Remove) a).vmUuid())
            .toList();
    Optional<ObservedCvm> source = replicaSource(removed, target);
    for (Action action : plan.actions()) {
      if (action instanceof Action.Update u) {
        cvms.replaceAll(
            c ->
                c.vmUuid().equals(u.vmUuid())
                    ? new ObservedCvm(
                        c.vmUuid(),
                        "shutting_down",
                        true,
                        target.revision(),
                        target.composeRevision(),
                        null)
                    : c);
      } else if (action instanceof Action.Remove r) {
        cvms.removeIf(c -> c.vmUuid().equals(r.vmUuid()));
      } else if (action instanceof Action.AddReplica && source.isPresent()) {
        ObservedCvm from = source.get();
        boolean onTarget = from.templateFor(target);
        cvms.add(
            new ObservedCvm(
                "added-" + next++,
                "starting",
                true,
                onTarget ? target.revision() : MIXED,
                onTarget ? target.composeRevision() : from.composeRevision(),
                null));
      }
    }
  }

  /** As CvmActions chooses: a kept CVM that serves the target's compose, else any serving one. */
  private Optional<ObservedCvm> replicaSource(List<String> removed, Target target) {
    List<ObservedCvm> kept = cvms.stream().filter(c -> !removed.contains(c.vmUuid())).toList();
    return kept.stream()
        .filter(c -> c.serving() && c.templateFor(target))
        .findFirst()
        .or(() -> kept.stream().filter(ObservedCvm::serving).findFirst())
        .or(() -> kept.stream().findFirst());
  }
}
