package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.cloud.EnvKeyTrust;
import cloud.phala.operator.app.owner.Claim;
import cloud.phala.operator.app.resolve.Resolution;
import cloud.phala.operator.cloud.AppRevision;
import cloud.phala.operator.cloud.AvailableNode;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.CvmState;
import cloud.phala.operator.cloud.Provisioned;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one pass read, before it decides anything. Observe stops reading where the pass cannot
 * go on (an unresolved source, no credentials, a refused claim), so the later parts are null then:
 * {@link #stage()} says how far it got.
 *
 * @param app the PhalaApp as the pass began (spec, metadata)
 * @param previous its status as the pass began (never a checkpoint of this pass)
 * @param operatorSecret a Secret the app references that the operator keeps for itself
 * @param sources what the referenced Secrets and ConfigMaps resolve to
 * @param desired what every CVM should run, when the sources resolved
 * @param inputs what {@code desired} was computed from, by version (the generation, each Secret's
 *     and ConfigMap's resourceVersion), when the sources resolved
 * @param earlierNames revision names of the earlier, unbound scheme mapped to this scheme's
 * @param apiKeyProblem why there is no API key, when there is none
 * @param cvmName this installation's name for the app's first CVM
 * @param claim whether this PhalaApp owns a Phala app
 * @param kmsId the KMS of the owned app
 * @param cloud what Phala Cloud showed of the app
 * @param cloudProblem why Phala Cloud could not be read, when it could not
 */
public record Observation(
    PhalaApp app,
    PhalaAppStatus previous,
    Instant now,
    Optional<String> operatorSecret,
    Resolution sources,
    Desired desired,
    PhalaAppStatus.ObservedInputs inputs,
    Map<String, String> earlierNames,
    Optional<String> apiKeyProblem,
    String cvmName,
    Claim claim,
    String kmsId,
    Cloud cloud,
    Optional<String> cloudProblem) {

  /** How far observe got. */
  public enum Stage {
    OPERATOR_SECRET,
    UNRESOLVED,
    NO_CREDENTIALS,
    CLAIM_REFUSED,
    CLOUD_UNAVAILABLE,
    CLOUD
  }

  public Stage stage() {
    if (operatorSecret.isPresent()) {
      return Stage.OPERATOR_SECRET;
    }
    if (!(sources instanceof Resolution.Resolved)) {
      return Stage.UNRESOLVED;
    }
    if (apiKeyProblem.isPresent()) {
      return Stage.NO_CREDENTIALS;
    }
    if (cloudProblem.isPresent()) {
      return Stage.CLOUD_UNAVAILABLE;
    }
    if (claim instanceof Claim.Refused) {
      return Stage.CLAIM_REFUSED;
    }
    return Stage.CLOUD;
  }

  /**
   * The app on Phala Cloud.
   *
   * @param cvms its CVMs (empty: no app, or an app without CVMs)
   * @param provisioned a provision made for the desired compose and not committed yet, its KMS
   *     filled in
   * @param key the env key to seal to, or why there is none (null: not read, no app to seal for)
   * @param states {@code GET /state} of each CVM with a recorded intent or a failed boot
   * @param statesReadAt when each of those answers arrived (a CVM's uptime counts to then)
   * @param changedAt when Phala Cloud last recorded a change of each CVM whose boot failed before
   *     and after an intent (its history says whether the step came through)
   * @param rollback Phala Cloud's copy of the revision a rollback redeploys, when one is due
   * @param history the app's revisions newest first, when a rollback record or a history entry is
   *     to be kept
   * @param pinned Phala Cloud's copy of the revision spec.rollout.pinnedRevision names, when a pin
   *     rolls out
   * @param listedAt a moment no earlier than what {@code cvms} shows (null: the observation's
   *     {@code now}): a CVM first seen serving is taken as serving since then, never before it was
   * @param osImages the names of the OS images the CVMs can move to, when one must move to {@code
   *     spec.osImage}
   * @param nodes the nodes new CVMs can go to, when {@code spec.placement} is set and one may be
   *     added
   * @param onChain what was read of an on-chain KMS app's contract
   * @param attestations the attestation verdicts read this pass, by CVM, when spec.attestation
   *     asked for them and a CVM's current boot had none
   */
  public record Cloud(
      List<Cvm> cvms,
      Optional<Provisioned> provisioned,
      EnvKeyTrust.Outcome key,
      Map<String, CvmState> states,
      Map<String, Instant> statesReadAt,
      Map<String, Instant> changedAt,
      Lookup<AppRevision> rollback,
      Lookup<List<AppRevision>> history,
      Lookup<AppRevision> pinned,
      Instant listedAt,
      Lookup<List<String>> osImages,
      Lookup<List<AvailableNode>> nodes,
      OnChainSeen onChain,
      Map<String, AttestationVerdict> attestations) {

    public Cloud(
        List<Cvm> cvms,
        Optional<Provisioned> provisioned,
        EnvKeyTrust.Outcome key,
        Map<String, CvmState> states,
        Map<String, Instant> statesReadAt,
        Map<String, Instant> changedAt,
        Lookup<AppRevision> rollback,
        Lookup<List<AppRevision>> history,
        Lookup<AppRevision> pinned,
        Instant listedAt,
        Lookup<List<String>> osImages,
        Lookup<List<AvailableNode>> nodes) {
      this(
          cvms,
          provisioned,
          key,
          states,
          statesReadAt,
          changedAt,
          rollback,
          history,
          pinned,
          listedAt,
          osImages,
          nodes,
          OnChainSeen.NONE,
          Map.of());
    }

    /** The same, with what was read of an on-chain KMS app's contract. */
    public Cloud withOnChain(OnChainSeen seen) {
      return new Cloud(
          cvms,
          provisioned,
          key,
          states,
          statesReadAt,
          changedAt,
          rollback,
          history,
          pinned,
          listedAt,
          osImages,
          nodes,
          seen,
          attestations);
    }

    /** The same, with the attestation verdicts read. */
    public Cloud withAttestations(Map<String, AttestationVerdict> read) {
      return new Cloud(
          cvms,
          provisioned,
          key,
          states,
          statesReadAt,
          changedAt,
          rollback,
          history,
          pinned,
          listedAt,
          osImages,
          nodes,
          onChain,
          Map.copyOf(read));
    }

    /** The CVMs as listed, before any read only some decisions need. */
    public static Cloud listed(
        List<Cvm> cvms,
        EnvKeyTrust.Outcome key,
        Map<String, CvmState> states,
        Map<String, Instant> statesReadAt,
        Map<String, Instant> changedAt,
        Instant listedAt,
        Lookup<List<String>> osImages,
        Lookup<List<AvailableNode>> nodes) {
      return new Cloud(
          cvms,
          Optional.empty(),
          key,
          states,
          statesReadAt,
          changedAt,
          Lookup.notAsked(),
          Lookup.notAsked(),
          Lookup.notAsked(),
          listedAt,
          osImages,
          nodes);
    }

    /** The same, with the reads only some decisions need. */
    public Cloud withReads(
        Lookup<AppRevision> rollback,
        Lookup<List<AppRevision>> history,
        Lookup<AppRevision> pinned) {
      return new Cloud(
          cvms,
          provisioned,
          key,
          states,
          statesReadAt,
          changedAt,
          rollback,
          history,
          pinned,
          listedAt,
          osImages,
          nodes,
          onChain,
          attestations);
    }

    public static Cloud noApp(Optional<Provisioned> provisioned, EnvKeyTrust.Outcome key) {
      return noApp(provisioned, key, Lookup.notAsked());
    }

    /** No CVM yet; {@code nodes}: where the first may go. */
    public static Cloud noApp(
        Optional<Provisioned> provisioned,
        EnvKeyTrust.Outcome key,
        Lookup<List<AvailableNode>> nodes) {
      return new Cloud(
          List.of(),
          provisioned,
          key,
          Map.of(),
          Map.of(),
          Map.of(),
          Lookup.notAsked(),
          Lookup.notAsked(),
          Lookup.notAsked(),
          null,
          Lookup.notAsked(),
          nodes);
    }
  }

  /** A read made only when the decision needs it: not asked, found, or why it is missing. */
  public record Lookup<T>(boolean asked, Optional<T> value, String problem) {
    public static <T> Lookup<T> notAsked() {
      return new Lookup<>(false, Optional.empty(), null);
    }

    public static <T> Lookup<T> found(T value) {
      return new Lookup<>(true, Optional.of(value), null);
    }

    public static <T> Lookup<T> missing(String problem) {
      return new Lookup<>(true, Optional.empty(), problem);
    }
  }
}
