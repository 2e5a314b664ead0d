package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.owner.Claim;
import cloud.phala.operator.app.plan.ObservedCvm;
import cloud.phala.operator.app.plan.Target;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.AppRevision;
import cloud.phala.operator.cloud.ComposeSpec;
import cloud.phala.operator.crd.HistoryEntry;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code spec.rollout.pinnedRevision}: the app rolls to the Phala Cloud revision a verified entry
 * of status.history names, through the normal rollout, instead of the revision built from the
 * current inputs. A pin that names no verified entry, or one Phala Cloud no longer keeps as
 * recorded, is refused before any step. Pure: Phala Cloud's copy is read elsewhere, when {@link
 * #copyNeeded} says so.
 */
final class Pins {
  /** What a pass rolls toward: {@code desired}, or why the pin is refused ({@code refusal}). */
  record Pin(Desired desired, Integer number, Reason refusal, String message) {
    boolean refused() {
      return refusal != null;
    }
  }

  private final Histories histories;

  Pins(Histories histories) {
    this.histories = histories;
  }

  private static Integer pinned(PhalaApp app) {
    return app.getSpec().rollout == null ? null : app.getSpec().rollout.pinnedRevision;
  }

  /**
   * The Phala Cloud revision whose copy is needed, if one is: a verified pin of another revision
   * than the inputs build, while some CVM is not on it, a replica is missing, or a restart is due
   * (a replica gets its sealed env, and a restart with maxUnavailable 0 adds one). At rest on the
   * pin nothing is read. {@code restartBefore}: spec.restartAt once it has come, else null.
   */
  Optional<String> copyNeeded(
      PhalaApp app,
      StatusDraft draft,
      Desired desired,
      List<ObservedCvm> observed,
      Instant restartBefore) {
    Integer number = pinned(app);
    if (number == null) {
      return Optional.empty();
    }
    return histories
        .verified(app, draft, number)
        .filter(entry -> !entry.envRevision.equals(desired.revision()))
        .filter(
            entry ->
                observed.size() < desired.replicas()
                    || observed.stream()
                        .anyMatch(
                            c ->
                                c.stale(
                                    new Target(
                                        entry.envRevision, entry.composeRevision, restartBefore))))
        .map(entry -> entry.phalaRevision);
  }

  /** The revision this pass rolls toward, given Phala Cloud's copy of the pinned one. */
  Pin resolve(
      PhalaApp app, StatusDraft draft, Desired desired, Observation.Lookup<AppRevision> copy) {
    Integer number = pinned(app);
    if (number == null) {
      return new Pin(desired, null, null, null);
    }
    Optional<HistoryEntry> found = histories.verified(app, draft, number);
    if (found.isEmpty()) {
      return new Pin(
          desired,
          number,
          Reason.PINNED_REVISION_UNKNOWN,
          "spec.rollout.pinnedRevision "
              + number
              + " names no entry of status.history the operator recorded (kept: "
              + draft.history().history.stream().map(e -> String.valueOf(e.revision)).toList()
              + "); nothing is deployed");
    }
    HistoryEntry entry = found.get();
    if (entry.envRevision.equals(desired.revision())) {
      return new Pin(desired, number, null, null);
    }
    if (!copy.asked()) {
      // at rest on the pin: no step needs the copy, only the revision's names
      return new Pin(pinnedTo(entry, desired, null), number, null, null);
    }
    Optional<String> refused =
        copy.value()
            .map(
                phala ->
                    entry.phalaRevision.equals(phala.revisionId())
                        ? RollbackRecords.mismatch(phala, draft.appId(), record(entry))
                        : Optional.of("Phala Cloud answered another revision"))
            .orElseGet(() -> Optional.of(String.valueOf(copy.problem())));
    if (refused.isPresent()) {
      return new Pin(
          desired,
          number,
          Reason.PINNED_REVISION_UNAVAILABLE,
          "spec.rollout.pinnedRevision "
              + number
              + " cannot be deployed: "
              + refused.get()
              + "; nothing is deployed");
    }
    return new Pin(pinnedTo(entry, desired, copy.value().get()), number, null, null);
  }

  /**
   * The revision the pass rolls toward (a pin's, or the inputs'), set as desired in {@code draft}
   * with its number; {@code copy}: Phala Cloud's copy of a pinned revision (null: not read).
   */
  Pin target(Observation seen, StatusDraft draft, Observation.Lookup<AppRevision> copy) {
    if (seen.claim() instanceof Claim.Owned owned) {
      draft.adopt(owned.appId(), seen.kmsId());
    }
    Pin pin =
        resolve(
            seen.app(), draft, seen.desired(), copy == null ? Observation.Lookup.notAsked() : copy);
    draft.desired(pin.desired());
    draft.history().revision =
        pin.number() != null && !pin.refused()
            ? pin.number()
            : Histories.number(draft.history().history, pin.desired().revision());
    return pin;
  }

  private static Desired pinnedTo(HistoryEntry entry, Desired desired, AppRevision phala) {
    ComposeSpec compose = phala == null ? null : phala.compose().orElseThrow();
    List<String> keys =
        compose != null
            ? compose.allowedEnvs()
            : entry.envKeys == null ? List.of() : List.copyOf(entry.envKeys);
    return new Desired(
        new EnvPayload.Kept(
            entry.phalaRevision, phala == null ? null : phala.env().orElseThrow(), keys),
        compose == null ? null : compose.dockerComposeFile(),
        compose == null ? null : compose.preLaunchScript(),
        entry.envRevision,
        entry.composeRevision,
        desired.replicas(),
        desired.rollout());
  }

  private static PhalaAppStatus.RollbackRecord record(HistoryEntry entry) {
    PhalaAppStatus.RollbackRecord record = new PhalaAppStatus.RollbackRecord();
    record.phalaRevision = entry.phalaRevision;
    record.composeHash = entry.composeHash;
    return record;
  }
}
