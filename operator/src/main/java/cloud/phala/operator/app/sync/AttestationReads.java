package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.sync.decide.AttestationVerdict;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaTransportException;
import cloud.phala.operator.cloud.attestation.Attestation;
import cloud.phala.operator.cloud.attestation.AttestationParser;
import cloud.phala.operator.cloud.attestation.Check;
import cloud.phala.operator.cloud.attestation.Evidence;
import cloud.phala.operator.cloud.attestation.EvidenceChecker;
import cloud.phala.operator.cloud.attestation.Expected;
import cloud.phala.operator.cloud.attestation.MalformedAttestationException;
import cloud.phala.operator.cloud.attestation.Step;
import cloud.phala.operator.cloud.attestation.TdReport;
import cloud.phala.operator.cloud.dstack.DstackVerifierClient;
import cloud.phala.operator.cloud.dstack.DstackVerifierException;
import cloud.phala.operator.crd.AttestationPolicy;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /cvms/{id}/attestation} of the CVMs the decision wants, each checked with the evidence
 * library against what was deployed (the app id, the compose hash Phala Cloud lists for the CVM,
 * spec.attestation's pins) and its quote verified as spec.attestation.verifier says, then the
 * platform's TCB status ({@link TcbCheck}; with verifier dstack, {@link DstackQuotes}). Each read
 * becomes a verdict; none throws, so one CVM's bad answer never stops the pass.
 */
final class AttestationReads {
  private static final HexFormat HEX = HexFormat.of();

  private AttestationReads() {}

  /**
   * {@code dstack}: the operator-wide dstack verifier, empty when the operator has none; an app
   * asking for it then gets an Error verdict per CVM (step VERIFIER_NOT_CONFIGURED) and nothing is
   * read.
   */
  static Map<String, AttestationVerdict> of(
      PhalaCloudClient client,
      Optional<DstackVerifierClient> dstack,
      AttestationPolicy policy,
      String appId,
      List<Cvm> listed,
      List<String> wanted) {
    boolean byDstack = policy.verifier == AttestationPolicy.Verifier.DSTACK;
    Map<String, AttestationVerdict> out = new LinkedHashMap<>();
    for (Cvm cvm : listed) {
      if (wanted.contains(cvm.vmUuid())) {
        out.put(
            cvm.vmUuid(),
            byDstack && dstack.isEmpty()
                ? DstackQuotes.notConfigured()
                : read(client, dstack.filter(d -> byDstack), policy, appId, cvm));
      }
    }
    return byDstack ? out : TcbCheck.apply(client, policy, appId, out);
  }

  private static AttestationVerdict read(
      PhalaCloudClient client,
      Optional<DstackVerifierClient> dstack,
      AttestationPolicy policy,
      String appId,
      Cvm cvm) {
    try {
      Optional<Attestation> attestation =
          AttestationParser.parse(client.attestations().of(cvm.vmUuid()));
      if (attestation.isEmpty()) {
        return AttestationVerdict.unavailable("Phala Cloud reports no attestation for the CVM");
      }
      if (cvm.composeHash() == null) {
        return AttestationVerdict.unavailable("Phala Cloud lists no compose hash for the CVM");
      }
      Optional<DstackQuotes> byDstack = dstack.map(d -> new DstackQuotes(d, attestation.get()));
      EvidenceChecker checker =
          byDstack
              .map(EvidenceChecker::verifyingQuotesWith)
              .orElseGet(() -> checker(client, policy));
      Evidence evidence = checker.check(attestation.get(), expected(policy, appId, cvm));
      if (!evidence.failures().isEmpty()) {
        Check first = evidence.failures().get(0);
        return AttestationVerdict.failed(first.step().name(), first.reason());
      }
      AttestationVerdict verified =
          pinned(policy, attestation.get())
              .orElseGet(
                  () ->
                      AttestationVerdict.verified(
                          evidence.outcome(Step.QUOTE_VERIFIED) == Check.Outcome.PASSED
                              ? "every check passed"
                              : "every check passed; the quote's signature was not checked"));
      return byDstack.isPresent() && verified.kind() == AttestationVerdict.Kind.VERIFIED
          ? byDstack.get().tcb(policy, verified)
          : verified;
    } catch (MalformedAttestationException e) {
      return AttestationVerdict.malformed(e.problem().name(), e.getMessage());
    } catch (PhalaApiException | PhalaTransportException | DstackVerifierException e) {
      return AttestationVerdict.error(e.getMessage());
    }
  }

  private static EvidenceChecker checker(PhalaCloudClient client, AttestationPolicy policy) {
    return policy.verifier == AttestationPolicy.Verifier.NONE
        ? EvidenceChecker.withoutQuoteVerification()
        : EvidenceChecker.verifyingQuotesWith(
            quote -> client.attestations().whyQuoteNotVerified(HEX.formatHex(quote)));
  }

  /**
   * The app id, the compose hash and instance id Phala Cloud lists for the CVM (the instance only
   * when listed), and the KMS identity pin, if any.
   */
  private static Expected expected(AttestationPolicy policy, String appId, Cvm cvm) {
    Expected expected = Expected.of(cvm.composeHash(), appId);
    if (cvm.instanceId() != null && !cvm.instanceId().isEmpty()) {
      expected = expected.withInstance(cvm.instanceId());
    }
    return policy.kmsIdentity == null ? expected : expected.withKmsIdentity(policy.kmsIdentity);
  }

  /**
   * A failed MEASUREMENTS_PINNED verdict when the quote's MRTD or RTMR0-2 is not the pinned one.
   */
  private static Optional<AttestationVerdict> pinned(
      AttestationPolicy policy, Attestation attestation) {
    if (policy.mrtd == null
        && policy.rtmr0 == null
        && policy.rtmr1 == null
        && policy.rtmr2 == null) {
      return Optional.empty();
    }
    TdReport report = TdReport.parse(attestation.quote());
    Map<String, byte[]> measured = new LinkedHashMap<>();
    measured.put("mrtd", report.mrtd());
    for (int i = 0; i < 3; i++) {
      measured.put("rtmr" + i, report.rtmr(i));
    }
    Map<String, String> pins = new LinkedHashMap<>();
    pins.put("mrtd", policy.mrtd);
    pins.put("rtmr0", policy.rtmr0);
    pins.put("rtmr1", policy.rtmr1);
    pins.put("rtmr2", policy.rtmr2);
    for (Map.Entry<String, String> pin : pins.entrySet()) {
      if (pin.getValue() != null
          && !HEX.formatHex(measured.get(pin.getKey())).equals(normalized(pin.getValue()))) {
        return Optional.of(
            AttestationVerdict.failed(
                "MEASUREMENTS_PINNED",
                "the quote's " + pin.getKey() + " is not spec.attestation." + pin.getKey()));
      }
    }
    return Optional.empty();
  }

  private static String normalized(String hex) {
    String lower = hex.toLowerCase(Locale.ROOT);
    return lower.startsWith("0x") ? lower.substring(2) : lower;
  }
}
