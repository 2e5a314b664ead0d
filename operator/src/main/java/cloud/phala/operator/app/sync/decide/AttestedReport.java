package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.crd.AttestationPolicy.Mode;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Attested condition: True once every CVM serving the desired revision verified, otherwise the
 * worst verdict among them, with a Warning for a failed, malformed or unavailable one. It reports,
 * and gates nothing: under Required, {@link AttestationGate} and the failure policy do.
 */
final class AttestedReport {
  private AttestedReport() {}

  static void report(StatusDraft draft, PhalaAppSpec spec, PhalaAppStatus previous, Notes notes) {
    if (draft.attested().mode() == Mode.Off) {
      if (previous != null
          && previous.conditions != null
          && previous.conditions.stream()
              .anyMatch(c -> ConditionType.ATTESTED.wire().equals(c.getType()))) {
        draft
            .conditions()
            .set(
                ConditionType.ATTESTED,
                false,
                Reason.ATTESTATION_OFF,
                "spec.attestation.mode is Off: attestations are not read");
      }
      return;
    }
    String revision = draft.envRevision();
    List<String> problems = new ArrayList<>();
    Reason worst = null;
    int verified = 0;
    int serving = 0;
    for (Cvm cvm : draft.observed()) {
      if (!cvm.isServing() || !AttestationGate.gated(draft, cvm.vmUuid())) {
        continue;
      }
      serving++;
      Optional<AttestationVerdict> verdict = AttestationGate.verdict(draft, cvm.vmUuid());
      Reason reason = verdict.map(AttestedReport::reasonOf).orElse(Reason.ATTESTATION_PENDING);
      if (reason == Reason.ATTESTATION_VERIFIED) {
        verified++;
        continue;
      }
      problems.add(
          "CVM "
              + cvm.name()
              + ": "
              + verdict.map(AttestationGate::describe).orElse("not read yet"));
      worst = worse(worst, reason);
    }
    if (worst == null && serving > 0) {
      draft
          .conditions()
          .set(
              ConditionType.ATTESTED,
              true,
              Reason.ATTESTATION_VERIFIED,
              verified
                  + " CVM(s) serving revision "
                  + revision
                  + " passed every check"
                  + quote(spec));
      return;
    }
    String message =
        worst == null ? "no CVM serves revision " + revision + " yet" : String.join("; ", problems);
    Reason reason = worst == null ? Reason.ATTESTATION_PENDING : worst;
    draft.conditions().set(ConditionType.ATTESTED, false, reason, message);
    if (reason != Reason.ATTESTATION_PENDING) {
      notes.warnOnce(reason, message);
    }
  }

  private static String quote(PhalaAppSpec spec) {
    if (spec.attestation.verifier == cloud.phala.operator.crd.AttestationPolicy.Verifier.NONE) {
      return " (verifier none: the quote's signature was not checked)";
    }
    return spec.attestation.verifier == cloud.phala.operator.crd.AttestationPolicy.Verifier.DSTACK
        ? " (quote and TCB status by the operator's dstack verifier)"
        : "";
  }

  static Reason reasonOf(AttestationVerdict verdict) {
    if (verdict.verifierNotConfigured()) {
      return Reason.VERIFIER_NOT_CONFIGURED;
    }
    return switch (verdict.kind()) {
      case VERIFIED -> Reason.ATTESTATION_VERIFIED;
      case FAILED -> Reason.ATTESTATION_FAILED;
      case MALFORMED -> Reason.ATTESTATION_MALFORMED;
      case UNAVAILABLE -> Reason.ATTESTATION_UNAVAILABLE;
      case ERROR -> Reason.ATTESTATION_ERROR;
    };
  }

  /** The reason to report among several: a failed check above everything else. */
  private static Reason worse(Reason a, Reason b) {
    List<Reason> order =
        List.of(
            Reason.ATTESTATION_FAILED,
            Reason.VERIFIER_NOT_CONFIGURED,
            Reason.ATTESTATION_MALFORMED,
            Reason.ATTESTATION_UNAVAILABLE,
            Reason.ATTESTATION_ERROR,
            Reason.ATTESTATION_PENDING);
    return a == null || order.indexOf(b) < order.indexOf(a) ? b : a;
  }
}
