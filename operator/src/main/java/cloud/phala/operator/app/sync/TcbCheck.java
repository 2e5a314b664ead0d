package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.sync.decide.AttestationVerdict;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaTransportException;
import cloud.phala.operator.cloud.TcbEvaluation;
import cloud.phala.operator.crd.AttestationPolicy;
import cloud.phala.operator.crd.AttestationPolicy.TcbStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The TCB_ACCEPTED step: Intel's TCB status of each verified CVM's platform, read in one {@code GET
 * /apps/{app_id}/attestations/tcb-evaluation} for the whole app and only when some CVM passed every
 * other check, must be one spec.attestation.tcbStatuses accepts.
 */
final class TcbCheck {
  /**
   * SWHardeningNeeded is accepted by default: it means the platform is patched and only software
   * mitigations are advised, the status many current TDX platforms report; refusing it by default
   * would halt rollouts on healthy fleets.
   */
  static final List<TcbStatus> DEFAULT = List.of(TcbStatus.UpToDate, TcbStatus.SWHardeningNeeded);

  private TcbCheck() {}

  /** The verdicts with each VERIFIED one replaced by its TCB_ACCEPTED outcome when it fails. */
  static Map<String, AttestationVerdict> apply(
      PhalaCloudClient client,
      AttestationPolicy policy,
      String appId,
      Map<String, AttestationVerdict> verdicts) {
    if (verdicts.values().stream().noneMatch(v -> v.kind() == AttestationVerdict.Kind.VERIFIED)) {
      return verdicts;
    }
    Map<String, TcbEvaluation> evaluated = new LinkedHashMap<>();
    AttestationVerdict callFailed = null;
    try {
      for (TcbEvaluation e : client.attestations().tcbEvaluation(appId)) {
        if (e.vmUuid() != null) {
          evaluated.put(key(e.vmUuid()), e);
        }
      }
    } catch (PhalaApiException | PhalaTransportException e) {
      callFailed = AttestationVerdict.error("the TCB evaluation failed: " + e.getMessage());
    }
    Set<String> accepted = accepted(policy);
    Map<String, AttestationVerdict> out = new LinkedHashMap<>();
    for (Map.Entry<String, AttestationVerdict> entry : verdicts.entrySet()) {
      AttestationVerdict verdict = entry.getValue();
      if (verdict.kind() == AttestationVerdict.Kind.VERIFIED) {
        verdict =
            callFailed != null
                ? callFailed
                : judge(evaluated.get(key(entry.getKey())), accepted, verdict);
      }
      out.put(entry.getKey(), verdict);
    }
    return out;
  }

  static Set<String> accepted(AttestationPolicy policy) {
    return (policy.tcbStatuses == null ? DEFAULT : policy.tcbStatuses)
        .stream().map(TcbStatus::name).collect(Collectors.toSet());
  }

  private static AttestationVerdict judge(
      TcbEvaluation evaluation, Set<String> accepted, AttestationVerdict verified) {
    if (evaluation == null) {
      return AttestationVerdict.unavailable("the TCB evaluation does not list the CVM");
    }
    if (evaluation.status() == null) {
      return AttestationVerdict.unavailable("the TCB evaluation has no status for the CVM");
    }
    return judge(evaluation.status(), accepted, verified);
  }

  /** {@code verified} when {@code status} is accepted, otherwise a failed TCB_ACCEPTED. */
  static AttestationVerdict judge(
      String status, Set<String> accepted, AttestationVerdict verified) {
    if (accepted.contains(status)) {
      return verified;
    }
    return AttestationVerdict.failed(
        "TCB_ACCEPTED",
        "the platform's TCB status is "
            + printable(status)
            + ", not one spec.attestation.tcbStatuses accepts");
  }

  /** A status is a short Intel word; anything else is not echoed. */
  private static String printable(String status) {
    return status.matches("[A-Za-z]{1,40}") ? status : "not a known TCB status";
  }

  private static String key(String vmUuid) {
    return vmUuid.replace("-", "").toLowerCase(Locale.ROOT);
  }
}
