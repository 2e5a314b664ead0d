package cloud.phala.operator.app.status;

/**
 * The condition types a PhalaApp's {@code status.conditions[]} can have, in the order {@link
 * ConditionSet#merge} writes them. Each is written as its {@link #wire()} string.
 */
public enum ConditionType {
  /** Whether every replica runs and serves the desired revision. */
  READY("Ready"),
  /** Whether CVMs are being created, changed, added or removed. */
  PROGRESSING("Progressing"),
  /** Whether a CVM failed to boot or a rollout failed. */
  DEGRADED("Degraded"),
  /** Whether every referenced Secret and ConfigMap key was found and makes a valid env. */
  SECRETS_RESOLVED("SecretsResolved"),
  /** Whether the app's env encryption key passed its KMS check. */
  PUBLIC_KEY_VERIFIED("PublicKeyVerified"),
  /** Whether the compose and the env agree (a warning only). */
  COMPOSE_VALID("ComposeValid"),
  /** Whether every CVM serving the desired revision passed its attestation checks. */
  ATTESTED("Attested");

  private final String wire;

  ConditionType(String wire) {
    this.wire = wire;
  }

  /** The type as written in {@code status.conditions[].type}. */
  public String wire() {
    return wire;
  }
}
