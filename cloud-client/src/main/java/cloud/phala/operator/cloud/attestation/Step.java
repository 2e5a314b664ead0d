package cloud.phala.operator.cloud.attestation;

/** One thing the evidence is checked for, each reported separately. */
public enum Step {
  /** The event log's {@code compose-hash} event equals the compose hash the operator deployed. */
  COMPOSE_HASH_MATCHES,
  /** The event log's {@code app-id} event equals the app id the operator deployed. */
  APP_ID_MATCHES,
  /** SHA-256 of {@code tcb_info.app_compose} equals the {@code compose-hash} event. */
  APP_COMPOSE_MATCHES,
  /**
   * Every imr-3 runtime event's digest matches its content and they replay into the quote's RTMR3.
   */
  RTMR3_REPLAYS,
  /** The quote's signature chains to a trusted root; NOT_CHECKED without a verifier. */
  QUOTE_VERIFIED,
  /** The {@code instance-id} event equals the instance the caller expects (this boot). */
  INSTANCE_MATCHES,
  /**
   * The {@code key-provider} event's {@code id} equals the pinned key provider identity (for a KMS:
   * its root CA public key); NOT_CHECKED when none is pinned.
   */
  KMS_PINNED
}
