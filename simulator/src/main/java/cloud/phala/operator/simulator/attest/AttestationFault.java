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
  UNAVAILABLE
}
