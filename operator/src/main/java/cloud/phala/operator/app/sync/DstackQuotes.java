package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.sync.decide.AttestationVerdict;
import cloud.phala.operator.cloud.attestation.Attestation;
import cloud.phala.operator.cloud.attestation.QuoteVerifier;
import cloud.phala.operator.cloud.dstack.DstackEventLog;
import cloud.phala.operator.cloud.dstack.DstackVerification;
import cloud.phala.operator.cloud.dstack.DstackVerifierClient;
import cloud.phala.operator.crd.AttestationPolicy;
import java.time.Duration;
import java.util.Optional;

/**
 * spec.attestation.verifier dstack, for one CVM's attestation: QUOTE_VERIFIED is the operator-wide
 * dstack verifier's {@code details.quote_verified} (the quote and the event log Phala Cloud gave,
 * no vm_config, which Phala Cloud's answer does not carry), and TCB_ACCEPTED its {@code
 * details.tcb_status} against spec.attestation.tcbStatuses, so no TCB evaluation is read from Phala
 * Cloud. The verifier's {@code is_valid} is not used: without a vm_config it cannot verify the OS
 * image, and the operator's own checks cover the event log, the compose and the pins.
 */
final class DstackQuotes implements QuoteVerifier {
  /** The verifier may first fetch the quote's collateral from Intel's PCCS. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final DstackVerifierClient client;
  private final Attestation attestation;
  private DstackVerification answer;

  DstackQuotes(DstackVerifierClient client, Attestation attestation) {
    this.client = client;
    this.attestation = attestation;
  }

  static AttestationVerdict notConfigured() {
    return AttestationVerdict.verifierNotConfigured(
        "spec.attestation.verifier is dstack, but the operator has no DSTACK_VERIFIER_URL"
            + " (Helm attestation.dstackVerifierUrl)");
  }

  /** Throws {@code DstackVerifierException} when the verifier gives no answer of its API. */
  @Override
  public String whyNotVerified(byte[] quote) {
    answer =
        client.verify(DstackEventLog.quoteHex(attestation), DstackEventLog.of(attestation), null);
    if (answer.quoteVerified()) {
      return "";
    }
    return "the dstack verifier did not verify the quote: "
        + answer.reason().orElse("it gave no reason");
  }

  /** A verified verdict as it stands, or TCB_ACCEPTED's outcome by the verifier's tcb_status. */
  AttestationVerdict tcb(AttestationPolicy policy, AttestationVerdict verified) {
    Optional<String> status = answer == null ? Optional.empty() : answer.tcbStatus();
    if (status.isEmpty()) {
      return AttestationVerdict.unavailable("the dstack verifier gave no TCB status for the quote");
    }
    return TcbCheck.judge(status.get(), TcbCheck.accepted(policy), verified);
  }
}
