package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.sync.decide.AttestationVerdict.Kind;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.crd.AttestationPolicy.Mode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * spec.attestation in the pass, pure: which CVMs' attestations to read (those serving a gated
 * revision whose current boot has no verdict), and under Required, which CVMs are held back from
 * counting as available, which of those will never count (rejected), and which verdicts fail the
 * rollout.
 */
final class AttestationGate {
  private AttestationGate() {}

  /** The revisions whose CVMs are read: the desired one, and a rollback's target. */
  static Set<String> gatedRevisions(StatusDraft draft) {
    Set<String> out = new HashSet<>();
    if (draft.envRevision() != null) {
      out.add(draft.envRevision());
    }
    if (draft.failedOnDesired()
        && FailurePolicy.ROLLED_BACK.equals(draft.rollout().action)
        && draft.rollout().lastGoodRevision != null) {
      out.add(draft.rollout().lastGoodRevision);
    }
    return out;
  }

  static boolean gated(StatusDraft draft, String vmUuid) {
    String revision = draft.revisionOf(vmUuid);
    return draft.attested().mode() != Mode.Off
        && revision != null
        && gatedRevisions(draft).contains(revision);
  }

  /** Under Required, a CVM on a gated revision counts as available only once verified. */
  static boolean holdsBack(StatusDraft draft, String vmUuid) {
    return draft.attested().mode() == Mode.Required
        && gated(draft, vmUuid)
        && verdict(draft, vmUuid).map(v -> v.kind() != Kind.VERIFIED).orElse(true);
  }

  /**
   * The CVMs whose attestation this pass reads: serving a gated revision, and no verdict for this
   * boot, or one a read may change (unavailable, error) while the rollout is not halted.
   */
  static List<String> wanted(StatusDraft draft, List<Cvm> cvms) {
    boolean halted = draft.failedOnDesired() && FailurePolicy.HALTED.equals(draft.rollout().action);
    return cvms.stream()
        .filter(Cvm::isServing)
        .map(Cvm::vmUuid)
        .filter(id -> gated(draft, id) && draft.runningSince(id) != null)
        .filter(id -> verdict(draft, id).map(v -> v.retried() && !halted).orElse(true))
        .toList();
  }

  /** Verdicts read this pass, each for the boot it was read in. */
  static void record(StatusDraft draft, Map<String, AttestationVerdict> read) {
    read.forEach(
        (id, verdict) -> {
          Instant boot = draft.runningSince(id);
          if (boot != null) {
            draft.attested().record(id, boot, instanceId(draft, id), verdict, draft.now());
          }
        });
  }

  static Optional<AttestationVerdict> verdict(StatusDraft draft, String vmUuid) {
    return draft.attested().of(vmUuid, draft.runningSince(vmUuid), instanceId(draft, vmUuid));
  }

  /** The instance id this pass's listing gives the CVM, null when none. */
  private static String instanceId(StatusDraft draft, String vmUuid) {
    return draft.observed().stream()
        .filter(c -> c.vmUuid().equals(vmUuid))
        .map(Cvm::instanceId)
        .filter(java.util.Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  /**
   * Under Required, why the rollout to {@code revision} fails: a CVM serving it whose attestation
   * failed or cannot be read, or that was not verified {@code readyTimeout} after it was given it.
   */
  static Optional<String> failure(StatusDraft draft, String revision, Duration readyTimeout) {
    if (draft.attested().mode() != Mode.Required) {
      return Optional.empty();
    }
    return draft.observed().stream()
        .filter(cvm -> cvm.isServing() && revision.equals(draft.revisionOf(cvm.vmUuid())))
        .map(cvm -> rejection(draft, cvm.vmUuid(), revision, readyTimeout))
        .flatMap(Optional::stream)
        .findFirst();
  }

  /**
   * Under Required, a serving CVM held back that waiting will not make available: its attestation
   * failed, or it was not verified within {@code readyTimeout}. The planner may take it down
   * without drawing on availability.
   */
  static boolean rejects(StatusDraft draft, Cvm cvm, Duration readyTimeout) {
    String revision = draft.revisionOf(cvm.vmUuid());
    return cvm.isServing()
        && holdsBack(draft, cvm.vmUuid())
        && rejection(draft, cvm.vmUuid(), revision, readyTimeout).isPresent();
  }

  private static Optional<String> rejection(
      StatusDraft draft, String vmUuid, String revision, Duration readyTimeout) {
    Optional<AttestationVerdict> verdict = verdict(draft, vmUuid);
    if (verdict.isPresent() && verdict.get().kind() == Kind.VERIFIED) {
      return Optional.empty();
    }
    if (verdict.isPresent() && !verdict.get().retried()) {
      return Optional.of(
          "CVM "
              + vmUuid
              + " failed attestation of revision "
              + revision
              + ": "
              + describe(verdict.get()));
    }
    CvmRecord record = draft.records().get(vmUuid);
    Instant given = record == null ? null : record.givenAt();
    if (given != null && draft.now().isAfter(given.plus(readyTimeout))) {
      return Optional.of(
          "CVM "
              + vmUuid
              + " was not attested within readyTimeout "
              + readyTimeout
              + " of revision "
              + revision
              + ": "
              + verdict.map(AttestationGate::describe).orElse("no attestation read yet"));
    }
    return Optional.empty();
  }

  /** The verdict in a few words: the step or problem and why; never evidence content. */
  static String describe(AttestationVerdict verdict) {
    return verdict.kind().wire()
        + (verdict.failedStep() == null ? "" : " " + verdict.failedStep())
        + (verdict.message() == null ? "" : " (" + verdict.message() + ")");
  }
}
