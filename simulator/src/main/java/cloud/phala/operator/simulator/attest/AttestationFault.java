package cloud.phala.operator.simulator.attest;

/** How the next attestation answer for a CVM is forged, named as in {@code /_sim/faults}. */
public enum AttestationFault {
  NONE,
  /** The CVM attests another compose (and its app_compose): the compose-hash event differs. */
  WRONG_COMPOSE_HASH,
  /** The quote's RTMR3 includes an event the log hides: the log does not replay into it. */
  RTMR3_MISMATCH,
  /** The quote's signature is damaged: it fails verification against the test root. */
  BAD_QUOTE,
  /** The platform answers with an error and no quote or event log. */
  UNAVAILABLE,
  /**
   * The evidence is another instance's (as a stale or mixed-up answer would be): its instance-id
   * event is not the instance id listed for the CVM, everything else consistent.
   */
  OTHER_INSTANCE,
  /** The CVM got its keys from another KMS: its key-provider event names another identity. */
  OTHER_KMS
}
