package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.owner.Claim;
import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.status.Phase;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.AvailableNode;
import cloud.phala.operator.crd.KmsPolicy;
import cloud.phala.operator.crd.OnChainApproval;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * On-chain KMS apps ({@code spec.kms.type: OnChain}): adopted, never deployed; a change the app
 * contract must allow first (HTTP 465) waits, the CVMs serving what they run, until the owner's
 * transaction allows it; new CVMs go only to nodes whose device the contract allows. Pure.
 */
public final class OnChainGate {
  /** How often a waiting change is asked about (is-allowed): at most once per this. */
  public static final Duration POLL = Duration.ofSeconds(30);

  private OnChainGate() {}

  public static boolean onChain(PhalaAppSpec spec) {
    return spec.kms != null && spec.kms.type == KmsPolicy.Type.OnChain;
  }

  /** An on-chain app with no CVM to adopt: nothing is deployed (that needs the owner's wallet). */
  static Optional<Decision> adoptOnly(
      Observation seen, StatusDraft draft, Notes notes, Optional<Claim.Owned> owned) {
    if (!onChain(seen.app().getSpec())) {
      return Optional.empty();
    }
    String message =
        draft.appId() == null
            ? "spec.kms.type is OnChain: the operator adopts an existing on-chain KMS app by its"
                + " app id (an adoption grant) and never deploys one, which takes a contract"
                + " deployed from the owner's wallet; nothing is deployed"
            : "on-chain KMS app "
                + draft.appId()
                + " has no CVM, and the operator never deploys one: deploy it with the owner's"
                + " wallet (phala deploy --kms "
                + seen.app().getSpec().kms.chain
                + ")";
    draft.conditions().set(ConditionType.READY, false, Reason.ON_CHAIN_ADOPTION_ONLY, message);
    return Optional.of(
        Decider.blocked(draft, notes, Reason.ON_CHAIN_ADOPTION_ONLY, message).withOwned(owned));
  }

  /**
   * The rollout of {@code target} while a change of it waits for approval: it waits (no step, the
   * CVMs serve) until observe finds the change allowed; a wait for another revision is over.
   */
  static Optional<Decision> awaiting(
      Observation seen,
      Desired target,
      StatusDraft draft,
      Notes notes,
      Optional<Claim.Owned> owned) {
    PhalaAppStatus.RolloutStatus rollout = draft.rollout();
    OnChainApproval approval = rollout.awaitingApproval;
    if (approval == null) {
      return Optional.empty();
    }
    if (!target.revision().equals(approval.revision)) {
      rollout.awaitingApproval = null;
      return Optional.empty();
    }
    Observation.Lookup<Boolean> allowed = seen.cloud().onChain().approved();
    if (allowed.value().orElse(false)) {
      rollout.awaitingApproval = null;
      notes.normal(
          Reason.ON_CHAIN_APPROVED,
          what(approval)
              + " is allowed on-chain now; revision "
              + target.revision()
              + " rolls out");
      return Optional.empty();
    }
    if (allowed.asked()) {
      approval.checkedAt = seen.now().toString();
    }
    draft.phase(Phase.AWAITING_APPROVAL);
    return Optional.of(new Decision(owned, List.of(), null, null, draft, notes, false, true));
  }

  /** Whether observe asks this pass whether the waiting change is allowed now. */
  public static boolean checkDue(PhalaAppStatus previous, Instant now) {
    OnChainApproval approval =
        previous == null || previous.rollout == null ? null : previous.rollout.awaitingApproval;
    return approval != null && nextCheck(approval).map(at -> !now.isBefore(at)).orElse(true);
  }

  /** When the waiting change is asked about next; empty when nothing waits. */
  static Optional<Instant> nextCheck(OnChainApproval approval) {
    if (approval == null) {
      return Optional.empty();
    }
    String last = approval.checkedAt != null ? approval.checkedAt : approval.since;
    return Optional.ofNullable(last).map(t -> Instant.parse(t).plus(POLL));
  }

  /**
   * Phala Cloud answered 465 to a step of {@code revision}: the change waits for approval (what to
   * register, where, and the transaction that does it), the CVMs keep serving.
   */
  static void refused(
      StatusDraft draft, Notes notes, String revision, OnChainApproval approval, Instant now) {
    OnChainApproval previous = draft.rollout().awaitingApproval;
    approval.revision = revision;
    approval.since =
        previous != null && revision.equals(previous.revision) ? previous.since : now.toString();
    approval.checkedAt = now.toString();
    approval.command = command(approval);
    approval.commitCommand = commitCommand(approval);
    draft.rollout().awaitingApproval = approval;
    draft.phase(Phase.AWAITING_APPROVAL);
    String message = message(approval);
    draft.conditions().set(ConditionType.PROGRESSING, true, Reason.AWAITING_APPROVAL, message);
    notes.warnOnce(Reason.AWAITING_APPROVAL, message);
  }

  /** Progressing while a change waits: what to approve and how, the CVMs serving meanwhile. */
  static String message(OnChainApproval approval) {
    return "revision "
        + approval.revision
        + " waits for on-chain approval: "
        + what(approval)
        + " must be registered on app contract 0x"
        + approval.appId
        + (approval.chainId == null ? "" : " (chain " + approval.chainId + ")")
        + " by its owner: "
        + approval.command
        + "; the CVMs keep serving the revision they run; checked every "
        + POLL.toSeconds()
        + "s";
  }

  /** The owner's transaction: addComposeHash or addDevice on the app contract (DstackApp). */
  static String command(OnChainApproval approval) {
    boolean device = approval.composeHash == null && approval.deviceId != null;
    return "cast send 0x"
        + approval.appId
        + (device
            ? " 'addDevice(bytes32)' 0x" + approval.deviceId
            : " 'addComposeHash(bytes32)' 0x" + approval.composeHash)
        + " --rpc-url $RPC_URL --private-key $OWNER_KEY";
  }

  /**
   * The CLI command that commits the prepared change after the owner's transaction; the token is a
   * placeholder, so the command may be shown anywhere.
   */
  static String commitCommand(OnChainApproval approval) {
    if (approval.commitToken == null || approval.commitCvmId == null) {
      return null;
    }
    return "phala deploy --cvm-id "
        + approval.commitCvmId
        + " --commit --token <commitToken> --compose-hash "
        + approval.composeHash
        + " --transaction-hash <transactionHash>";
  }

  private static String what(OnChainApproval approval) {
    return approval.composeHash != null
        ? "compose hash 0x" + approval.composeHash
        : "device " + approval.deviceId;
  }

  /**
   * The nodes a new CVM of an on-chain app may go to: those whose device the contract allows (all
   * when it allows any, or the app is not on-chain); the others are named in a warning.
   */
  static List<AvailableNode> allowedNodes(
      List<AvailableNode> nodes, Observation seen, Notes notes) {
    Optional<Predicate<String>> allowed = allowedDevices(seen, notes, "no new CVM is placed");
    if (allowed.isEmpty()) {
      return List.of();
    }
    List<String> left =
        nodes.stream().map(AvailableNode::name).filter(allowed.get().negate()).toList();
    warnNotUsed(notes, left, "");
    return nodes.stream().filter(n -> allowed.get().test(n.name())).toList();
  }

  /**
   * Which node names the app contract allows new CVMs on: any, when the app is not on-chain or the
   * contract allows every device; empty when the allow-list could not be read, which a warning
   * says, ending with {@code heldBack}.
   */
  static Optional<Predicate<String>> allowedDevices(
      Observation seen, Notes notes, String heldBack) {
    if (!onChain(seen.app().getSpec())) {
      return Optional.of(node -> true);
    }
    Observation.Lookup<Optional<Set<String>>> read = seen.cloud().onChain().allowedNodes();
    if (read.value().isEmpty()) {
      notes.warning(
          Reason.DEVICE_NOT_ALLOWED,
          "the devices the app contract allows could not be read ("
              + (read.problem() == null ? "not read" : read.problem())
              + "); "
              + heldBack);
      return Optional.empty();
    }
    Optional<Set<String>> some = read.value().get();
    return Optional.of(some.isEmpty() ? node -> true : some.get()::contains);
  }

  /** Names, once, the nodes not used because the contract does not allow their devices. */
  static void warnNotUsed(Notes notes, List<String> nodes, String why) {
    if (!nodes.isEmpty()) {
      notes.warnOnce(
          Reason.DEVICE_NOT_ALLOWED,
          "nodes "
              + String.join(", ", nodes)
              + " are not used: the app contract does not allow their devices (the owner adds one"
              + " with addDevice)"
              + why);
    }
  }
}
