package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.plan.Action;

/**
 * Named moments in a pass at which an operator could die. Production passes {@link #NONE}; the
 * crash tests stop the operator at each one and check that a fresh operator finishes the work with
 * no CVM restarted or created twice.
 */
@FunctionalInterface
public interface PassHook {
  PassHook NONE = (point, step, revision) -> {};

  /** Where a pass is; each step that changes a CVM passes through these in order. */
  enum Point {
    /** Observe is done: from here on the pass reads nothing from Phala Cloud. */
    OBSERVED,
    /** The plan is made; nothing about the step is written anywhere yet. */
    STEP_PLANNED,
    /** The intent is in status; the step is not sent. */
    INTENT_WRITTEN,
    /** Phala Cloud accepted the step; status does not record it as done yet. */
    STEP_ACCEPTED,
    /** Every step of the pass was taken; the pass's final status is not written yet. */
    PASS_DONE
  }

  /**
   * {@code step}: the planned action (null at PASS_DONE); {@code revision}: the revision it gives a
   * CVM (at PASS_DONE, the desired one).
   */
  void at(Point point, Action step, String revision);
}
