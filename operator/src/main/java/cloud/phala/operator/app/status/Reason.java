package cloud.phala.operator.app.status;

import static cloud.phala.operator.app.status.ConditionType.ATTESTED;
import static cloud.phala.operator.app.status.ConditionType.COMPOSE_VALID;
import static cloud.phala.operator.app.status.ConditionType.DEGRADED;
import static cloud.phala.operator.app.status.ConditionType.PROGRESSING;
import static cloud.phala.operator.app.status.ConditionType.PUBLIC_KEY_VERIFIED;
import static cloud.phala.operator.app.status.ConditionType.READY;
import static cloud.phala.operator.app.status.ConditionType.SECRETS_RESOLVED;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Every reason the operator writes: on conditions ({@code status.conditions[].reason}) and on
 * Events. Each is written as its {@link #wire()} string; {@link #conditionTypes()} says which
 * conditions it is used on (none: Events only), {@link #onEvents()} whether Events use it.
 */
public enum Reason {
  // Ready
  /** Ready=True: every replica runs and serves the desired revision, and no extra CVM exists. */
  ALL_REPLICAS_READY("AllReplicasReady", Use.CONDITION, READY),
  /** Ready=False: fewer replicas than spec.replicas serve the desired revision. */
  REPLICAS_NOT_READY("ReplicasNotReady", Use.CONDITION, READY),
  /** Ready=False and Progressing=True: the first CVM is booting. */
  CREATING("Creating", Use.CONDITION, READY, PROGRESSING),
  /** Ready=False and a Warning: no API key for the app. */
  CREDENTIALS_UNAVAILABLE("CredentialsUnavailable", Use.BOTH, READY),
  /** Ready=False and a Warning: the operator has no record of deploying this PhalaApp's app. */
  ADOPTION_REQUIRED("AdoptionRequired", Use.BOTH, READY),

  // Progressing
  /** Progressing=True: CVMs are being moved to the desired revision, added or removed. */
  ROLLING_OUT("RollingOut", Use.CONDITION, PROGRESSING),
  /**
   * Progressing=True: Phala Cloud did not answer or refused a call (Event: {@link #CLOUD_ERROR}).
   */
  CLOUD_UNAVAILABLE("CloudUnavailable", Use.CONDITION, PROGRESSING),
  /** Progressing=False: every CVM runs the desired revision. */
  CONVERGED("Converged", Use.CONDITION, PROGRESSING),
  /** Progressing=True and a Warning: a failed rollout is being rolled back. */
  ROLLING_BACK("RollingBack", Use.BOTH, PROGRESSING),
  /** Degraded=True, Progressing=False and a Warning: the rollout failed and was halted. */
  ROLLOUT_HALTED("RolloutHalted", Use.BOTH, DEGRADED, PROGRESSING),
  /** Degraded=True (and Progressing=False once done): the app was rolled back. */
  ROLLED_BACK("RolledBack", Use.CONDITION, DEGRADED, PROGRESSING),
  /**
   * Progressing=True and a Normal Event (once per wait): a new revision waits for its inputs to
   * stay unchanged for spec.rollout.batchWindow.
   */
  BATCH_WINDOW("BatchWindow", Use.BOTH, PROGRESSING),
  /** Progressing=False: spec.rollout.paused is true. */
  PAUSED("Paused", Use.CONDITION, PROGRESSING),
  /**
   * Ready=False and a Warning: spec.rollout.pinnedRevision names no verified entry of
   * status.history; nothing is deployed.
   */
  PINNED_REVISION_UNKNOWN("PinnedRevisionUnknown", Use.BOTH, READY),
  /**
   * Ready=False and a Warning: Phala Cloud no longer keeps the pinned revision (or its copy differs
   * from the recorded one); nothing is deployed.
   */
  PINNED_REVISION_UNAVAILABLE("PinnedRevisionUnavailable", Use.BOTH, READY),
  /** Progressing=False and a Warning: spec.osImage is not an image the CVMs can move to. */
  OS_IMAGE_UNAVAILABLE("OsImageUnavailable", Use.BOTH, PROGRESSING),
  /**
   * Progressing=True and a Warning: a node spec.placement lists is not offered, or no allowed node
   * has a free slot for a new CVM.
   */
  NODE_UNAVAILABLE("NodeUnavailable", Use.BOTH, PROGRESSING),
  /**
   * Progressing=True and a Warning: an on-chain KMS app's change waits for its owner to register it
   * on the app contract (Phala Cloud answered 465); the CVMs keep serving what they run.
   */
  AWAITING_APPROVAL("AwaitingApproval", Use.BOTH, PROGRESSING),
  /**
   * Progressing=True and a Warning: a new CVM of an on-chain KMS app is not placed on a node whose
   * device the app contract does not allow.
   */
  DEVICE_NOT_ALLOWED("DeviceNotAllowed", Use.BOTH, PROGRESSING),
  /**
   * Ready=False and a Warning: spec.kms.type is OnChain and there is no CVM to adopt; the operator
   * never deploys an on-chain KMS app.
   */
  ON_CHAIN_ADOPTION_ONLY("OnChainAdoptionOnly", Use.BOTH, READY),
  /**
   * Ready=False and a Warning: spec.kms.chain is not the chain of the adopted app's KMS (GET
   * /apps/{app_id}/kms-info); nothing is changed.
   */
  KMS_CHAIN_MISMATCH("KmsChainMismatch", Use.BOTH, READY),

  // Degraded
  /** Degraded=True and a Warning: a CVM is in error. */
  BOOT_FAILED("BootFailed", Use.BOTH, DEGRADED),
  /** Degraded=False: no CVM failed to boot. */
  NO_FAILURES("NoFailures", Use.CONDITION, DEGRADED),

  // SecretsResolved
  /** SecretsResolved=True: every referenced Secret and ConfigMap key was found. */
  RESOLVED("Resolved", Use.CONDITION, SECRETS_RESOLVED),
  /** SecretsResolved=False and a Warning: a referenced source or key is missing. */
  MISSING_SOURCE("MissingSource", Use.BOTH, SECRETS_RESOLVED),
  /** SecretsResolved=False and a Warning: the env would be refused by the CVM guest. */
  INVALID_ENV("InvalidEnv", Use.BOTH, SECRETS_RESOLVED),
  /** SecretsResolved=False and a Warning: a referenced Secret is one the operator keeps. */
  OPERATOR_SECRET("OperatorSecret", Use.BOTH, SECRETS_RESOLVED),

  // PublicKeyVerified
  /** PublicKeyVerified=True: the env key is signed by a trusted KMS root key. */
  SIGNATURE_VERIFIED("SignatureVerified", Use.CONDITION, PUBLIC_KEY_VERIFIED),
  /** PublicKeyVerified=False and a Warning: the env key is not signed by a trusted root key. */
  SIGNATURE_INVALID("SignatureInvalid", Use.BOTH, PUBLIC_KEY_VERIFIED),
  /** PublicKeyVerified=False and a Warning: the KMS root key differs from the recorded one. */
  ROOT_KEY_CHANGED("RootKeyChanged", Use.BOTH, PUBLIC_KEY_VERIFIED),
  /** PublicKeyVerified=False and a Warning: the KMS root key could not be read. */
  KMS_UNAVAILABLE("KmsUnavailable", Use.BOTH, PUBLIC_KEY_VERIFIED),
  /**
   * PublicKeyVerified=False: verification is switched off and allowed; a Warning too when the key
   * Phala Cloud reports is unusable.
   */
  VERIFICATION_DISABLED("VerificationDisabled", Use.BOTH, PUBLIC_KEY_VERIFIED),
  /** PublicKeyVerified=False and a Warning: verification is switched off but not allowed. */
  VERIFICATION_REQUIRED("VerificationRequired", Use.BOTH, PUBLIC_KEY_VERIFIED),

  // ComposeValid (a warning from ComposeLint; the Event is ComposeWarning)
  /** ComposeValid=True: the compose and the env agree. */
  NO_WARNINGS("NoWarnings", Use.CONDITION, COMPOSE_VALID),
  /** ComposeValid=False: a list-form environment entry quotes "${VAR}". */
  QUOTED_INTERPOLATION("QuotedInterpolation", Use.CONDITION, COMPOSE_VALID),
  /** ComposeValid=False: the compose uses a key the env does not provide. */
  MISSING_KEY("MissingKey", Use.CONDITION, COMPOSE_VALID),
  /** ComposeValid=False: the env provides a key the compose never uses. */
  UNUSED_KEY("UnusedKey", Use.CONDITION, COMPOSE_VALID),
  /** ComposeValid=False: the compose blanks a key the env provides. */
  BLANKED_KEY("BlankedKey", Use.CONDITION, COMPOSE_VALID),
  /** ComposeValid=False: a DSTACK_* helper is set but a custom pre-launch script replaces it. */
  HELPER_WITHOUT_BUILT_IN_SCRIPT("HelperWithoutBuiltInScript", Use.CONDITION, COMPOSE_VALID),

  // Events only
  /** Normal: the app and its first CVM were created. */
  CREATED("Created", Use.EVENT),
  /** Normal: a CVM was added. */
  REPLICA_ADDED("ReplicaAdded", Use.EVENT),
  /** Normal: a CVM was given the new env and restarts. */
  ENV_UPDATED("EnvUpdated", Use.EVENT),
  /** Normal: a CVM was given a new compose or pre-launch script and restarts. */
  COMPOSE_UPDATED("ComposeUpdated", Use.EVENT),
  /** Normal: a rollback redeployed a Phala Cloud revision to a CVM. */
  REDEPLOYED("Redeployed", Use.EVENT),
  /** Normal: a CVM restarted on what it runs (spec.restartAt). */
  RESTARTED("Restarted", Use.EVENT),
  /** Normal: a failed rollout is tried again (spec.rollout.retryAt). */
  ROLLOUT_RETRIED("RolloutRetried", Use.EVENT),
  /** Normal: a CVM was moved to spec.osImage and restarts. */
  OS_IMAGE_UPDATED("OsImageUpdated", Use.EVENT),
  /** Normal: a CVM was removed. */
  REPLICA_REMOVED("ReplicaRemoved", Use.EVENT),
  /** Normal: the PhalaApp was deleted, and so were its CVMs. */
  DELETED("Deleted", Use.EVENT),
  /** Normal: the PhalaApp was deleted with deletionPolicy Retain; its CVMs keep running. */
  RETAINED("Retained", Use.EVENT),
  /** Normal: the PhalaApp was deleted, but the operator owns no app for it. */
  NOTHING_OWNED("NothingOwned", Use.EVENT),
  /** Warning: ComposeValid turned False; the message lists the warnings. */
  COMPOSE_WARNING("ComposeWarning", Use.EVENT),
  /** Warning: which Phala Cloud revision the replicas run could not be recorded for a rollback. */
  ROLLBACK_NOT_KEPT("RollbackNotKept", Use.EVENT),
  /** Warning: a Phala Cloud call failed (Progressing=True, {@link #CLOUD_UNAVAILABLE}). */
  CLOUD_ERROR("CloudError", Use.EVENT),
  /** Normal: the change an on-chain KMS app waited for is allowed on-chain; it rolls out. */
  ON_CHAIN_APPROVED("OnChainApproved", Use.EVENT),
  // Attested (spec.attestation.mode Observe or Required)
  /** Attested=True: every CVM serving the desired revision passed every attestation check. */
  ATTESTATION_VERIFIED("AttestationVerified", Use.CONDITION, ATTESTED),
  /** Attested=False: a CVM serving the desired revision has no attestation verdict yet. */
  ATTESTATION_PENDING("AttestationPending", Use.CONDITION, ATTESTED),
  /**
   * Attested=False and a Warning: a CVM's attestation failed a check; the message names the CVM and
   * the step (e.g. COMPOSE_HASH_MATCHES, RTMR3_REPLAYS, QUOTE_VERIFIED, MEASUREMENTS_PINNED).
   */
  ATTESTATION_FAILED("AttestationFailed", Use.BOTH, ATTESTED),
  /** Attested=False and a Warning: Phala Cloud answered with no attestation for a CVM. */
  ATTESTATION_UNAVAILABLE("AttestationUnavailable", Use.BOTH, ATTESTED),
  /**
   * Attested=False and a Warning: a CVM's attestation answer cannot be read (not JSON, too large, a
   * missing or duplicate event, a bad field or quote); the message names the problem.
   */
  ATTESTATION_MALFORMED("AttestationMalformed", Use.BOTH, ATTESTED),
  /**
   * Attested=False and a Warning: the attestation or the quote verifier could not be reached (an
   * error or a timeout); read again on the next pass.
   */
  ATTESTATION_ERROR("AttestationError", Use.BOTH, ATTESTED),
  /**
   * Attested=False and a Warning: spec.attestation.verifier is dstack but the operator has no
   * DSTACK_VERIFIER_URL; each CVM's verdict is Error (step VERIFIER_NOT_CONFIGURED), nothing is
   * read, and Required halts at readyTimeout as for any Error.
   */
  VERIFIER_NOT_CONFIGURED("VerifierNotConfigured", Use.BOTH, ATTESTED),
  /** Attested=False: spec.attestation.mode is Off, so attestations are no longer read. */
  ATTESTATION_OFF("AttestationOff", Use.CONDITION, ATTESTED),

  /** Warning: the app is being deleted, but no API key is available to delete its CVMs. */
  CLEANUP_BLOCKED("CleanupBlocked", Use.EVENT),
  /** Warning: deleting the CVMs failed; retried. */
  CLEANUP_FAILED("CleanupFailed", Use.EVENT);

  /** Where a reason is written. */
  public enum Use {
    CONDITION,
    EVENT,
    BOTH
  }

  private final String wire;
  private final Use use;
  private final Set<ConditionType> conditionTypes;

  Reason(String wire, Use use, ConditionType... conditionTypes) {
    this.wire = wire;
    this.use = use;
    this.conditionTypes =
        conditionTypes.length == 0
            ? EnumSet.noneOf(ConditionType.class)
            : EnumSet.of(conditionTypes[0], conditionTypes);
  }

  /** The reason as written in a condition's or an Event's {@code reason}. */
  public String wire() {
    return wire;
  }

  /** The condition types it is a reason of; empty for an Event-only reason. */
  public Set<ConditionType> conditionTypes() {
    return Collections.unmodifiableSet(conditionTypes);
  }

  public boolean onConditions() {
    return use != Use.EVENT;
  }

  public boolean onEvents() {
    return use != Use.CONDITION;
  }
}
