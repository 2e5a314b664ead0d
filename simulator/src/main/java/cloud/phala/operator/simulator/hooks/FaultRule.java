package cloud.phala.operator.simulator.hooks;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * One injected fault and where it applies: every API request, those whose path matches a regular
 * expression (and method), or one CVM (by its number, resolved when the rule is added); a boot
 * fault also only onto one OS image ({@code osImage}, by name); with a probability ({@code rate})
 * and at most {@code count} times (null: no limit).
 */
public record FaultRule(
    String id,
    Kind kind,
    String method,
    Pattern path,
    Integer cvmNumber,
    double rate,
    Integer count,
    int status,
    Duration delay,
    String osImage) {

  /** A rule for any OS image. */
  public FaultRule(
      String id,
      Kind kind,
      String method,
      Pattern path,
      Integer cvmNumber,
      double rate,
      Integer count,
      int status,
      Duration delay) {
    this(id, kind, method, path, cvmNumber, rate, count, status, delay, null);
  }

  /** The kinds of fault, named as in the {@code /_sim/faults} API. */
  public enum Kind {
    ERROR,
    RATE_LIMIT,
    BUSY,
    LATENCY,
    DROP_CONNECTION,
    LOSE_RESPONSE,
    ERROR_AFTER_APPLY,
    BOOT_FAIL,
    BOOT_HANG,
    BAD_KMS_SIGNATURE,
    ATTESTATION_WRONG_COMPOSE_HASH,
    ATTESTATION_RTMR3_MISMATCH,
    ATTESTATION_BAD_QUOTE,
    ATTESTATION_UNAVAILABLE,
    ATTESTATION_OTHER_INSTANCE,
    ATTESTATION_OTHER_KMS,
    TCB_OUT_OF_DATE,
    TCB_SW_HARDENING_NEEDED,
    TCB_REVOKED;

    boolean atAttestation() {
      return name().startsWith("ATTESTATION_");
    }

    /** Sets the CVM's status in the TCB evaluation (for every read, unless counted). */
    boolean atTcb() {
      return name().startsWith("TCB_");
    }

    /** Intel's TCB status this fault reports. */
    String tcbStatus() {
      return switch (this) {
        case TCB_OUT_OF_DATE -> "OutOfDate";
        case TCB_SW_HARDENING_NEEDED -> "SWHardeningNeeded";
        case TCB_REVOKED -> "Revoked";
        default -> throw new IllegalStateException(name() + " is not a TCB fault");
      };
    }

    boolean atBoot() {
      return this == BOOT_FAIL || this == BOOT_HANG;
    }
  }

  FaultRule withCount(Integer newCount) {
    return new FaultRule(id, kind, method, path, cvmNumber, rate, newCount, status, delay, osImage);
  }
}
