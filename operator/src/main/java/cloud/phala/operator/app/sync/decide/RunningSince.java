package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Since when each CVM has been seen serving the revision it was given, without a break ({@code
 * status.cvms[].runningSince}): what {@code minReadySeconds} counts from. Taken from the passes'
 * own observations, never from Phala Cloud's uptime, which only a read per CVM ({@code GET /state})
 * gives: a CVM is running since the first pass that saw it serving, which is never earlier than it
 * began (by at most the time a pass takes to read the listing), and the record is kept in status,
 * so a restarted operator goes on counting. A pass that sees it not serving, or gives it a
 * revision, starts it over.
 */
final class RunningSince {
  private RunningSince() {}

  /** {@code records}: the revision each CVM was given, intents settled. */
  static Map<String, Instant> of(
      PhalaAppStatus previous, List<Cvm> cvms, Map<String, CvmRecord> records, Instant now) {
    Map<String, Instant> out = new LinkedHashMap<>();
    for (Cvm cvm : cvms) {
      if (cvm.isServing()) {
        Optional<Instant> kept = kept(previous, cvm.vmUuid(), records.get(cvm.vmUuid()));
        // a record in the future (status is writable by others) would hold the CVM back forever
        out.put(cvm.vmUuid(), kept.filter(t -> !t.isAfter(now)).orElse(now));
      }
    }
    return out;
  }

  /** Whether a CVM serving since {@code since} has served for {@code minReady} at {@code now}. */
  static boolean available(Instant since, Duration minReady, Instant now) {
    return since != null && !since.plus(minReady).isAfter(now);
  }

  /** The time the previous status recorded, if the CVM served then on the same given revision. */
  private static Optional<Instant> kept(PhalaAppStatus previous, String vmUuid, CvmRecord record) {
    if (previous == null || previous.cvms == null) {
      return Optional.empty();
    }
    Instant given = record == null ? null : record.givenAt();
    // the record's givenAt was parsed from the same field, so it parses
    return previous.cvms.stream()
        .filter(c -> vmUuid.equals(c.cvmId) && c.runningSince != null && "running".equals(c.phase))
        .filter(c -> Objects.equals(CvmRecord.instant(c.updatedAt), given))
        .map(c -> parsed(c.runningSince))
        .filter(Objects::nonNull)
        .findFirst();
  }

  /** Status is writable by whoever may patch it: a time that does not parse is no record. */
  static Instant parsed(String text) {
    try {
      return text == null ? null : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
