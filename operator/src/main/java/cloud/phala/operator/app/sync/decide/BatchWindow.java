package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.owner.Claim;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code spec.rollout.batchWindow}: a new revision of a running app waits until its inputs have not
 * changed for the window, so a burst of changes (an external-secrets refresh touching several
 * Secrets) makes one rollout. Each change restarts the wait, but it never lasts more than {@link
 * #MAX_WINDOWS} windows from the burst's first change (a burst: changes each less than a window
 * after the one before), so inputs that never settle still roll out. The wait is kept in {@code
 * status.rollout} ({@code desiredSince}, {@code waitingSince}), so a restarted operator goes on
 * waiting; a pass that saw a change but crashed before writing status sees it again, later, and
 * only waits longer.
 */
final class BatchWindow {
  /** How many windows a wait lasts at most, however often the inputs change. */
  static final int MAX_WINDOWS = 5;

  private BatchWindow() {}

  /**
   * Notes a change of the desired revision from the one {@code previous} names (none before: a
   * first deploy, which never waits), starting a wait if none is under way.
   */
  static void changed(
      PhalaAppStatus previous,
      PhalaAppStatus.RolloutStatus rollout,
      String desired,
      Duration window,
      Instant now) {
    if (window.isZero()) {
      end(rollout);
      return;
    }
    if (previous.envRevision == null || previous.envRevision.equals(desired)) {
      return;
    }
    // a change a window or more after the last one is a burst of its own, even if the last wait
    // was never acted on (its passes were blocked, a Secret key missing)
    Instant last = RunningSince.parsed(rollout.desiredSince);
    boolean newBurst =
        last == null || rollout.waitingSince == null || !now.isBefore(last.plus(window));
    rollout.desiredSince = now.toString();
    if (newBurst) {
      rollout.waitingSince = now.toString();
    }
  }

  /** When the wait recorded in {@code rollout} ends; empty when none is recorded. */
  private static Optional<Instant> start(PhalaAppStatus.RolloutStatus rollout, Duration window) {
    Instant since = RunningSince.parsed(rollout.desiredSince);
    Instant began = RunningSince.parsed(rollout.waitingSince);
    if (since == null || began == null) {
      return Optional.empty();
    }
    Instant quiet = since.plus(window);
    Instant latest = began.plus(window.multipliedBy(MAX_WINDOWS));
    return Optional.of(quiet.isBefore(latest) ? quiet : latest);
  }

  /**
   * When the rollout may start, if that is still to come; once it has come, the wait is over and
   * empty is returned.
   */
  static Optional<Instant> until(
      PhalaAppStatus.RolloutStatus rollout, Duration window, Instant now) {
    Optional<Instant> start = window.isZero() ? Optional.empty() : start(rollout, window);
    // status is writable by whoever may patch it: a wait recorded as beginning in the future
    // holds nothing
    Instant furthest = now.plus(window.multipliedBy(MAX_WINDOWS));
    if (start.isEmpty() || !now.isBefore(start.get()) || start.get().isAfter(furthest)) {
      end(rollout);
      return Optional.empty();
    }
    return start;
  }

  /**
   * Holds the pass while the desired revision waits: no step (scaling waits too, for at most the
   * wait), Progressing says until when, an Event says so once. A rollback (or any other target than
   * the desired revision) never waits; nor does a pass without a target (a halted rollout).
   */
  static Optional<Decision> hold(
      Observation seen,
      Optional<Desired> target,
      StatusDraft draft,
      Notes notes,
      Optional<Claim.Owned> owned) {
    if (target.isEmpty() || target.get() != seen.desired()) {
      end(draft.rollout());
      return Optional.empty();
    }
    Duration window = EffectiveSpec.of(seen.app().getSpec()).batchWindow();
    Optional<Instant> start = until(draft.rollout(), window, seen.now());
    if (start.isEmpty()) {
      return Optional.empty();
    }
    draft.batchUntil(start.get());
    notes.normalOnce(Reason.BATCH_WINDOW, waiting(window));
    return Optional.of(new Decision(owned, List.of(), null, null, draft, notes, false, true));
  }

  /** No wait: none was asked for, or it is over, or the pass rolls elsewhere (a rollback). */
  static void end(PhalaAppStatus.RolloutStatus rollout) {
    rollout.desiredSince = null;
    rollout.waitingSince = null;
  }

  /** What the Event says once per wait, and the condition message begins with. */
  static String waiting(Duration window) {
    return "waiting for the spec and its Secrets and ConfigMaps to stay unchanged for "
        + compact(window)
        + " before rolling out";
  }

  /** {@code 1h30m}, {@code 90s} written as the spec writes them. */
  static String compact(Duration d) {
    String out =
        (d.toHours() > 0 ? d.toHours() + "h" : "")
            + (d.toMinutesPart() > 0 ? d.toMinutesPart() + "m" : "")
            + (d.toSecondsPart() > 0 ? d.toSecondsPart() + "s" : "");
    return out.isEmpty() ? "0s" : out;
  }
}
