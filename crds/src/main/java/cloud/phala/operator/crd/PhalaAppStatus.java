package cloud.phala.operator.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.List;
import java.util.Map;

/** What the operator observed and did. Never holds a secret value nor a plain hash of one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PhalaAppStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription("The Phala Cloud app id (40 hex).")
  public String appId;

  @JsonPropertyDescription(
      "Keyed hash (HMAC) of the desired env, compose, pre-launch script and allowed keys.")
  public String envRevision;

  @JsonPropertyDescription("Names of the env vars the app gets. Names only, never values.")
  public List<String> envKeys;

  @JsonPropertyDescription(
      "What envRevision was computed from: the PhalaApp's generation and the resourceVersion of"
          + " each Secret and ConfigMap read. Compare with the Secret's own resourceVersion to"
          + " tell whether the operator has seen a change. Versions only, never values.")
  public ObservedInputs observedInputs;

  @StatusReplicas
  @JsonPropertyDescription("How many CVMs exist (the scale subresource reads this).")
  public Integer replicas;

  @JsonPropertyDescription(
      "CVMs running the desired revision (UP-TO-DATE); all of them means the rollout is done.")
  public Integer updatedReplicas;

  @JsonPropertyDescription("CVMs serving: running with no operation in progress, on any revision.")
  public Integer readyReplicas;

  @JsonPropertyDescription(
      "CVMs serving for at least spec.minReadySeconds, on any revision (AVAILABLE); equals"
          + " readyReplicas when minReadySeconds is 0.")
  public Integer availableReplicas;

  @JsonPropertyDescription(
      "readyReplicas/desired, e.g. 3/3, for kubectl get: stays 3/3 through a rotation that keeps"
          + " every replica serving. Whether the rollout is done: updatedReplicas.")
  public String ready;

  @JsonPropertyDescription(
      "One word for kubectl get: Pending, Blocked, Rolling, Ready, Degraded, Halted.")
  public String phase;

  @JsonPropertyDescription("Where the current rollout stands, and the last one that completed.")
  public RolloutStatus rollout;

  @JsonPropertyDescription(
      "The number of the revision the app is on or rolling to: a new one each time the desired"
          + " revision is not in history; a pin shows the pinned number.")
  public Integer revision;

  @JsonPropertyDescription(
      "The revisions that rolled out fully, newest first, at most"
          + " spec.rollout.revisionHistoryLimit (default 10). Names and keyed hashes only, never"
          + " values.")
  public List<HistoryEntry> history;

  @JsonPropertyDescription(
      "The spec.restartAt every CVM has been restarted (or given a revision) since.")
  public String restartedAt;

  @JsonPropertyDescription("The app's CVMs as last observed.")
  public List<CvmStatus> cvms;

  @JsonPropertyDescription("The KMS (id or slug) that holds the app's keys.")
  public String kmsId;

  @JsonPropertyDescription(
      "Keyed hash of the compose, pre-launch script and env key names: what a replica inherits.")
  public String composeRevision;

  @JsonPropertyDescription(
      "How revisions are computed: 2 binds them to the PhalaApp's namespace and name. Revisions"
          + " of the earlier scheme for the same inputs count as current, so an upgrade restarts"
          + " nothing.")
  public Integer revisionScheme;

  @JsonPropertyDescription(
      "The KMS root key that signed the env public key, recorded on first use.")
  public String kmsRootKey;

  @JsonPropertyDescription(
      "Ready, Progressing, Degraded, SecretsResolved, PublicKeyVerified, ComposeValid.")
  public List<Condition> conditions;

  /** The inputs a revision was computed from, by version. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ObservedInputs {
    @JsonPropertyDescription("The PhalaApp's metadata.generation the revision was computed from.")
    public Long generation;

    @JsonPropertyDescription("Each Secret read, by name: its metadata.resourceVersion.")
    public Map<String, String> secrets;

    @JsonPropertyDescription("Each ConfigMap read, by name: its metadata.resourceVersion.")
    public Map<String, String> configMaps;
  }

  /** One CVM of the app. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CvmStatus {
    @JsonPropertyDescription("Phala Cloud VM UUID.")
    public String cvmId;

    @JsonPropertyDescription("CVM name on Phala Cloud.")
    public String name;

    @JsonPropertyDescription("Phala Cloud status, e.g. running, starting, shutting_down, error.")
    public String phase;

    @JsonPropertyDescription("The revision this CVM was last given.")
    public String envRevision;

    @JsonPropertyDescription("The compose revision this CVM was last given.")
    public String composeRevision;

    @JsonPropertyDescription(
        "For a replica copied from a CVM on another compose (envRevision compose-pending): the"
            + " revision whose env it was given, on the compose composeRevision names.")
    public String envOf;

    @JsonPropertyDescription("Public URL of the app on this CVM.")
    public String endpoint;

    @JsonPropertyDescription(
        "When the operator gave this CVM its revision (readyTimeout counts from here).")
    public String updatedAt;

    @JsonPropertyDescription(
        "Since when the operator has seen this CVM running its revision without a break"
            + " (spec.minReadySeconds counts from here); unset while it is not running.")
    public String runningSince;

    @JsonPropertyDescription(
        "A change the operator recorded before sending it and has not yet seen accepted; a"
            + " restarted operator checks the CVM before sending it again.")
    public Intent intent;

    @JsonPropertyDescription(
        "What this CVM's attestation showed for its current boot (spec.attestation); read once"
            + " per boot.")
    public CvmAttestation attestation;
  }

  /** The verdict on one boot of one CVM's attestation. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CvmAttestation {
    @JsonPropertyDescription(
        "The boot the verdict is for: the runningSince it was read under (a new boot starts"
            + " runningSince over, and is read again).")
    public String boot;

    @JsonPropertyDescription(
        "The instance the verdict is for: the instance_id Phala Cloud listed for the CVM when it"
            + " was read, expected in its instance-id event (absent: none was listed). A verdict"
            + " for another instance than the one listed now is read again.")
    public String instanceId;

    @JsonPropertyDescription(
        "Verified, Failed (a check failed), Unavailable (no attestation), Malformed (an answer"
            + " that cannot be read) or Error (the attestation or verifier could not be reached).")
    public String verdict;

    @JsonPropertyDescription("The first check that failed, or the problem of a malformed answer.")
    public String failedStep;

    @JsonPropertyDescription("Why, in a few words; never evidence content.")
    public String message;

    @JsonPropertyDescription("When the attestation was read.")
    public String at;
  }

  /** A step written down before it is sent to Phala Cloud. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Intent {
    @JsonPropertyDescription("The revision the step gives the CVM.")
    public String envRevision;

    @JsonPropertyDescription("The compose revision the step gives the CVM.")
    public String composeRevision;

    @JsonPropertyDescription(
        "With envRevision compose-pending: the revision whose env the step gives the CVM.")
    public String envOf;

    @JsonPropertyDescription("When the intent was recorded.")
    public String since;
  }

  /**
   * The rollout state that must survive an operator restart. Earlier versions wrote {@code
   * rollbackSecret}, which stays in a stored status until the CRD is upgraded: it is ignored.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties({"rollbackSecret"})
  public static class RolloutStatus {
    @JsonPropertyDescription("The last revision every replica ran (the one a Rollback restores).")
    public String lastGoodRevision;

    @JsonPropertyDescription(
        "A revision whose rollout failed; nothing more is done for it until the spec or a"
            + " referenced Secret or ConfigMap changes.")
    public String failedRevision;

    @JsonPropertyDescription("Why failedRevision failed: the CVM and its boot error or timeout.")
    public String failure;

    @JsonPropertyDescription(
        "When failedRevision failed; spec.rollout.retryAt at or after it tries it again.")
    public String failedAt;

    @JsonPropertyDescription("Halted or RolledBack, what onFailure did about failedRevision.")
    public String action;

    @JsonPropertyDescription(
        "With onFailure Rollback: the Phala Cloud revision the replicas ran at lastGoodRevision,"
            + " which a rollback redeploys to the replicas given the failed revision.")
    public RollbackRecord rollbackRecord;

    @JsonPropertyDescription(
        "With spec.rollout.batchWindow, while a new revision waits for its inputs to be quiet:"
            + " when the desired revision last changed.")
    public String desiredSince;

    @JsonPropertyDescription(
        "With spec.rollout.batchWindow: when the wait began (the first change of the burst); it"
            + " lasts at most 5 windows from here.")
    public String waitingSince;

    @JsonPropertyDescription(
        "Replicas requested from Phala Cloud whose CVM has not been seen yet, each with the"
            + " revision it boots with.")
    public List<Intent> pendingReplicas;

    @JsonPropertyDescription(
        "An on-chain KMS app's change that waits for its owner's on-chain approval (HTTP 465).")
    public OnChainApproval awaitingApproval;
  }

  /**
   * The Phala Cloud revision a rollback redeploys. Status is writable by whoever may patch it, so
   * the operator authenticates the record and uses it only if it verifies.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RollbackRecord {
    @JsonPropertyDescription(
        "The Phala Cloud app revision (revision_id) the replicas ran at lastGoodRevision; it keeps"
            + " that revision's compose and sealed env.")
    public String phalaRevision;

    @JsonPropertyDescription(
        "The compose hash of phalaRevision; a rollback checks Phala Cloud's copy still has it.")
    public String composeHash;

    @JsonPropertyDescription(
        "The compose revision of lastGoodRevision (compose, pre-launch script, allowed keys).")
    public String composeRevision;

    @JsonPropertyDescription(
        "HMAC, keyed with the operator's revision key, over this PhalaApp (namespace, name, uid),"
            + " its app id, lastGoodRevision and the three fields above. A record that does not"
            + " verify is not used: the rollout halts instead.")
    public String tag;
  }
}
