package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The Events a pass means to record, in order. A warning about a lasting problem is recorded only
 * when it is news: when no condition of the previous status already says it, so a steady state
 * records nothing. Messages name keys and resources, never values.
 */
public final class Notes {
  /**
   * One Event. {@code repeats}: recorded even when the previous status says the same; else only
   * when no previous condition's message starts with {@code saidAs}.
   */
  public record Note(
      boolean warning, Reason reason, String message, boolean repeats, String saidAs) {
    Note(boolean warning, Reason reason, String message, boolean repeats) {
      this(warning, reason, message, repeats, message);
    }
  }

  private final List<Note> notes = new ArrayList<>();

  public void normal(Reason reason, String message) {
    notes.add(new Note(false, reason, message, true));
  }

  /** A Normal Event about a lasting state, recorded once while it lasts. */
  public void normalOnce(Reason reason, String message) {
    notes.add(new Note(false, reason, message, false));
  }

  /**
   * A Normal Event once per rollout: recorded only when no previous condition says {@code during}
   * (what status says while that rollout lasts), and once per pass.
   */
  public void normalOncePer(String during, Reason reason, String message) {
    if (notes.stream().noneMatch(n -> !n.repeats() && n.saidAs().equals(during))) {
      notes.add(new Note(false, reason, message, false, during));
    }
  }

  /** A warning about one event (a failed call, a halt): always recorded. */
  public void warning(Reason reason, String message) {
    notes.add(new Note(true, reason, message, true));
  }

  /** A warning about a lasting state, recorded once while it lasts. */
  public void warnOnce(Reason reason, String message) {
    notes.add(new Note(true, reason, message, false));
  }

  /** The message of this pass's warning about a lasting {@code reason}, if there is one. */
  public java.util.Optional<String> lasting(Reason reason) {
    return notes.stream()
        .filter(n -> n.warning() && !n.repeats() && n.reason() == reason)
        .map(Note::message)
        .findFirst();
  }

  /** The notes to record, given the status before the pass. */
  public List<Note> toRecord(PhalaAppStatus previous) {
    return notes.stream().filter(n -> n.repeats() || !saidBy(previous, n.saidAs())).toList();
  }

  private static boolean saidBy(PhalaAppStatus previous, String message) {
    return previous != null
        && previous.conditions != null
        && previous.conditions.stream()
            .anyMatch(c -> c.getMessage() != null && c.getMessage().startsWith(message));
  }
}
