package cloud.phala.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Whether, and how strictly, the CVMs' attestations are read and checked (spec.attestation). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AttestationPolicy {
  /** A 48-byte TDX measurement in hex. */
  static final String MEASUREMENT = "^(0x)?[0-9a-fA-F]{96}$";

  /** A key provider id in hex: whole bytes, 1 to 512 of them. */
  static final String KMS_IDENTITY = "^(0x)?([0-9a-fA-F][0-9a-fA-F]){1,512}$";

  /** How attestations act on the rollout. */
  public enum Mode {
    Off,
    Observe,
    Required
  }

  /** Intel's TCB statuses, as the TCB evaluation reports a platform's. */
  public enum TcbStatus {
    UpToDate,
    SWHardeningNeeded,
    ConfigurationNeeded,
    ConfigurationAndSWHardeningNeeded,
    OutOfDate,
    OutOfDateConfigurationNeeded,
    Revoked
  }

  /** Who verifies the quote's signature chain. */
  public enum Verifier {
    @JsonProperty("phala-cloud")
    PHALA_CLOUD,
    @JsonProperty("none")
    NONE,
    /** The self-hosted dstack verifier the operator is configured with (DSTACK_VERIFIER_URL). */
    @JsonProperty("dstack")
    DSTACK
  }

  @Default("Off")
  @JsonPropertyDescription(
      "Off (default): attestations are not read. Observe: each CVM serving the desired revision"
          + " has its attestation read and checked once per boot; the Attested condition and"
          + " status.cvms[].attestation report it, nothing waits on it. Required: as Observe, and"
          + " a CVM counts as available for the rollout only once verified; one that fails, or"
          + " is not verified within readyTimeout, fails the rollout like a boot failure.")
  public Mode mode;

  @Default("phala-cloud")
  @JsonPropertyDescription(
      "Who verifies the quote: phala-cloud (POST /api/v1/attestations/verify, default), dstack"
          + " (the self-hosted dstack verifier set operator-wide, DSTACK_VERIFIER_URL or Helm"
          + " attestation.dstackVerifierUrl, which also reports the TCB status; without it every"
          + " read is an Error with reason VerifierNotConfigured) or none (the quote's signature is"
          + " not checked: QUOTE_VERIFIED is NOT_CHECKED and every other check is only as strong as"
          + " an unverified quote).")
  public Verifier verifier;

  @ValidationRule(
      value = "self.matches('" + MEASUREMENT + "')",
      message = "mrtd must be 96 hex digits (48 bytes), optionally 0x-prefixed")
  @JsonPropertyDescription("Pins the quote's MRTD (OS image firmware measurement), hex.")
  public String mrtd;

  @ValidationRule(
      value = "self.matches('" + MEASUREMENT + "')",
      message = "rtmr0 must be 96 hex digits (48 bytes), optionally 0x-prefixed")
  @JsonPropertyDescription("Pins the quote's RTMR0, hex.")
  public String rtmr0;

  @ValidationRule(
      value = "self.matches('" + MEASUREMENT + "')",
      message = "rtmr1 must be 96 hex digits (48 bytes), optionally 0x-prefixed")
  @JsonPropertyDescription("Pins the quote's RTMR1 (OS kernel), hex.")
  public String rtmr1;

  @ValidationRule(
      value = "self.matches('" + MEASUREMENT + "')",
      message = "rtmr2 must be 96 hex digits (48 bytes), optionally 0x-prefixed")
  @JsonPropertyDescription("Pins the quote's RTMR2 (OS command line and initrd), hex.")
  public String rtmr2;

  @ValidationRule(
      value = "self.matches('" + KMS_IDENTITY + "')",
      message = "kmsIdentity must be hex (whole bytes, at most 512), optionally 0x-prefixed")
  @JsonPropertyDescription(
      "Pins the key provider the CVMs got their keys from: the id of the key-provider event in"
          + " their attestation (for a KMS, the public key of its root CA certificate), hex. A CVM"
          + " whose event log names another, or none, fails the KMS_PINNED step.")
  public String kmsIdentity;

  @Size(min = 1, max = 7)
  @JsonPropertyDescription(
      "The TCB statuses accepted from GET /apps/{app_id}/attestations/tcb-evaluation (Intel's"
          + " evaluation of each CVM's platform), or from the dstack verifier's tcb_status with"
          + " verifier dstack. Unset: UpToDate and SWHardeningNeeded. A CVM"
          + " whose platform reports another status fails the TCB_ACCEPTED step.")
  public List<TcbStatus> tcbStatuses;
}
