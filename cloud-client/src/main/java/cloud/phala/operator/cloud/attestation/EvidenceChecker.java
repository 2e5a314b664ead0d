package cloud.phala.operator.cloud.attestation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Checks an attestation answer against what the operator deployed. Pure: no I/O, no clock. */
public final class EvidenceChecker {
  private final Optional<QuoteVerifier> verifier;

  private EvidenceChecker(Optional<QuoteVerifier> verifier) {
    this.verifier = verifier;
  }

  /** Quote signatures are reported NOT_CHECKED. */
  public static EvidenceChecker withoutQuoteVerification() {
    return new EvidenceChecker(Optional.empty());
  }

  public static EvidenceChecker verifyingQuotesWith(QuoteVerifier verifier) {
    return new EvidenceChecker(Optional.of(verifier));
  }

  /** Throws {@link MalformedAttestationException} for an answer that cannot be read. */
  public Evidence check(String answer, Expected expected) {
    return AttestationParser.parse(answer)
        .map(a -> check(a, expected))
        .orElseGet(() -> Evidence.unavailable("the platform reports no attestation for this CVM"));
  }

  public Evidence check(Attestation attestation, Expected expected) {
    byte[] composeHash = attestation.requiredEvent("compose-hash");
    byte[] appId = attestation.requiredEvent("app-id");
    Optional<String> instanceId = attestation.event("instance-id").map(Hex::encode);
    List<Check> checks = new ArrayList<>();
    checks.add(
        Check.of(
            Step.COMPOSE_HASH_MATCHES,
            sameHex(composeHash, expected.composeHash()),
            "the compose-hash event is not the deployed compose hash"));
    checks.add(
        Check.of(
            Step.APP_ID_MATCHES,
            sameHex(appId, expected.appId()),
            "the app-id event is not the deployed app id"));
    checks.add(
        Check.of(
            Step.APP_COMPOSE_MATCHES,
            Arrays.equals(sha256(attestation.appCompose()), composeHash),
            "tcb_info.app_compose does not hash to the compose-hash event"));
    checks.add(Rtmr3Replay.check(attestation));
    checks.add(quoteCheck(attestation));
    checks.add(instanceCheck(instanceId, expected));
    checks.add(
        KeyProvider.check(attestation, expected.kmsIdentity().map(EvidenceChecker::normalize)));
    return Evidence.of(checks, instanceId);
  }

  private Check quoteCheck(Attestation attestation) {
    if (verifier.isEmpty()) {
      return Check.notChecked(Step.QUOTE_VERIFIED, "no quote verifier is configured");
    }
    String why = verifier.get().whyNotVerified(attestation.quote());
    return Check.of(Step.QUOTE_VERIFIED, why.isEmpty(), why);
  }

  private static Check instanceCheck(Optional<String> instanceId, Expected expected) {
    if (expected.instanceId().isEmpty()) {
      return Check.notChecked(Step.INSTANCE_MATCHES, "no instance id was expected");
    }
    boolean same =
        instanceId.isPresent() && instanceId.get().equals(normalize(expected.instanceId().get()));
    return Check.of(
        Step.INSTANCE_MATCHES, same, "the instance-id event is not the expected instance");
  }

  private static boolean sameHex(byte[] actual, String expectedHex) {
    return Hex.encode(actual).equals(normalize(expectedHex));
  }

  static String normalize(String hex) {
    String lower = hex.toLowerCase(Locale.ROOT);
    return lower.startsWith("0x") ? lower.substring(2) : lower;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
