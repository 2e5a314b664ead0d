package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.plan.ObservedCvm;
import cloud.phala.operator.crd.PhalaAppSpec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** {@code spec.restartAt}: when it has come, and whether every CVM has restarted since. Pure. */
final class Restarts {
  private Restarts() {}

  /** spec.restartAt once it has come; empty when unset, unreadable or still ahead. */
  static Optional<Instant> due(PhalaAppSpec spec, Instant now) {
    return instant(spec.restartAt).filter(at -> !at.isAfter(now));
  }

  /** An RFC 3339 time (the CRD allows offsets); empty when it is none. */
  static Optional<Instant> instant(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * Records spec.restartAt as done once every one of the replicas serves and was given its revision
   * or restarted at or after it.
   */
  static void report(
      StatusDraft draft, PhalaAppSpec spec, Instant now, List<ObservedCvm> cvms, int replicas) {
    Optional<Instant> due = due(spec, now);
    if (due.isEmpty() || spec.restartAt.equals(draft.history().restartedAt)) {
      return;
    }
    boolean done =
        cvms.size() == replicas
            && cvms.stream()
                .allMatch(
                    c -> c.serving() && c.givenAt() != null && !c.givenAt().isBefore(due.get()));
    if (done) {
      draft.history().restartedAt = spec.restartAt;
    }
  }
}
