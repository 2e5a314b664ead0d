package cloud.phala.operator.app.sync.decide;

import static cloud.phala.operator.app.sync.decide.Seen.condition;
import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.owner.Claim;
import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.cloud.AvailableNode;
import cloud.phala.operator.crd.KmsPolicy;
import cloud.phala.operator.crd.OnChainApproval;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Placement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Decide for an on-chain KMS app: never deployed, a change waiting for on-chain approval holds the
 * rollout (no step, CVMs serving) until observe finds it allowed, and new CVMs avoid nodes whose
 * device the app contract does not allow.
 */
class OnChainDecisionTest {
  private final Decider decider = new Decider(new Revision(new byte[32]));

  private static Seen onChain(Seen seen) {
    seen.app.getSpec().kms = new KmsPolicy();
    seen.app.getSpec().kms.type = KmsPolicy.Type.OnChain;
    seen.app.getSpec().kms.chain = KmsPolicy.Chain.base;
    return seen;
  }

  private static OnChainApproval waiting(Seen seen, String revision, Instant checkedAt) {
    OnChainApproval approval = new OnChainApproval();
    approval.revision = revision;
    approval.composeHash = "cc".repeat(32);
    approval.appId = Seen.APP_ID;
    approval.chainId = "8453";
    approval.since = checkedAt.toString();
    approval.checkedAt = checkedAt.toString();
    seen.status.rollout = new PhalaAppStatus.RolloutStatus();
    seen.status.rollout.awaitingApproval = approval;
    return approval;
  }

  private Decision decide(Seen seen, OnChainSeen onChain, List<AvailableNode> nodes) {
    Observation o = seen.observation();
    Observation.Cloud c = o.cloud();
    Observation.Cloud cloud =
        new Observation.Cloud(
                c.cvms(),
                c.provisioned(),
                c.key(),
                c.states(),
                c.statesReadAt(),
                c.changedAt(),
                c.rollback(),
                c.history(),
                c.pinned(),
                c.listedAt(),
                c.osImages(),
                nodes == null ? Observation.Lookup.notAsked() : Observation.Lookup.found(nodes))
            .withOnChain(onChain);
    return decider.decide(
        new Observation(
            o.app(),
            o.previous(),
            o.now(),
            o.operatorSecret(),
            o.sources(),
            o.desired(),
            o.inputs(),
            o.earlierNames(),
            o.apiKeyProblem(),
            o.cvmName(),
            o.claim(),
            o.kmsId(),
            cloud,
            o.cloudProblem()));
  }

  @Test
  void anOnChainAppWithNothingToAdopt_isNeverDeployed_andReadySaysWhy() {
    Seen seen = onChain(new Seen());
    seen.claim = new Claim.Unclaimed();
    seen.status.appId = null;

    Decision decision = decider.decide(seen.observation());

    assertThat(decision.steps()).isEmpty();
    PhalaAppStatus status = decision.draft().toStatus(seen.app);
    assertThat(status.phase).isEqualTo("Blocked");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("OnChainAdoptionOnly");
    assertThat(condition(status, "Ready").getMessage()).contains("never deploys");
  }

  @Test
  void aChangeWaitingForApproval_takesNoStep_andWaitsServing_untilTheNextCheck() {
    Seen seen = onChain(new Seen());
    seen.serving("vm-1", "rev-1");
    OnChainApproval approval = waiting(seen, "rev-2", Seen.NOW.minusSeconds(10));

    Decision decision = decide(seen, OnChainSeen.NONE, null);

    assertThat(decision.steps()).isEmpty();
    PhalaAppStatus status = decision.draft().toStatus(seen.app);
    assertThat(status.phase).isEqualTo("AwaitingApproval");
    assertThat(status.rollout.awaitingApproval.composeHash).isEqualTo(approval.composeHash);
    assertThat(decision.wakeAt()).contains(Seen.NOW.plusSeconds(20));
    assertThat(OnChainGate.checkDue(seen.status, Seen.NOW)).isFalse();
    assertThat(OnChainGate.checkDue(seen.status, Seen.NOW.plusSeconds(20))).isTrue();
  }

  @Test
  void aChangeStillNotAllowed_whenChecked_keepsWaiting_andRecordsTheCheck() {
    Seen seen = onChain(new Seen());
    seen.serving("vm-1", "rev-1");
    waiting(seen, "rev-2", Seen.NOW.minusSeconds(40));

    Decision decision =
        decide(
            seen,
            new OnChainSeen(Observation.Lookup.found(false), Observation.Lookup.notAsked()),
            null);

    assertThat(decision.steps()).isEmpty();
    assertThat(decision.draft().toStatus(seen.app).rollout.awaitingApproval.checkedAt)
        .isEqualTo(Seen.NOW.toString());
    assertThat(decision.wakeAt()).contains(Seen.NOW.plus(OnChainGate.POLL));
  }

  @Test
  void aChangeFoundAllowed_rollsOut_andTheWaitIsOver() {
    Seen seen = onChain(new Seen());
    seen.serving("vm-1", "rev-1");
    waiting(seen, "rev-2", Seen.NOW.minusSeconds(40));

    Decision decision =
        decide(
            seen,
            new OnChainSeen(Observation.Lookup.found(true), Observation.Lookup.notAsked()),
            null);

    assertThat(decision.steps()).singleElement().isInstanceOf(Step.Update.class);
    assertThat(decision.draft().rollout().awaitingApproval).isNull();
    assertThat(decision.notes().toRecord(null))
        .extracting(n -> n.reason().wire())
        .contains("OnChainApproved");
  }

  @Test
  void aWaitForAnotherRevision_isOver_whenTheDesiredRevisionMovesOn() {
    Seen seen = onChain(new Seen());
    seen.serving("vm-1", "rev-1");
    waiting(seen, "rev-older", Seen.NOW.minusSeconds(10));

    Decision decision = decide(seen, OnChainSeen.NONE, null);

    assertThat(decision.steps()).singleElement().isInstanceOf(Step.Update.class);
    assertThat(decision.draft().rollout().awaitingApproval).isNull();
  }

  @Test
  void a465_recordsWhatToApprove_theTransaction_andProgressingAwaitingApproval() {
    Seen seen = onChain(new Seen());
    seen.serving("vm-1", "rev-1");
    Decision decision = decide(seen, OnChainSeen.NONE, null);
    OnChainApproval asked = new OnChainApproval();
    asked.composeHash = "dd".repeat(32);
    asked.appId = Seen.APP_ID;
    asked.chainId = "8453";

    PhalaAppStatus status = StatusReport.awaitingApproval(seen.app, decision, asked);

    assertThat(status.phase).isEqualTo("AwaitingApproval");
    assertThat(status.rollout.awaitingApproval.revision).isEqualTo("rev-2");
    assertThat(status.rollout.awaitingApproval.command)
        .isEqualTo(
            "cast send 0x"
                + Seen.APP_ID
                + " 'addComposeHash(bytes32)' 0x"
                + "dd".repeat(32)
                + " --rpc-url $RPC_URL --private-key $OWNER_KEY");
    assertThat(condition(status, "Progressing").getReason()).isEqualTo("AwaitingApproval");
    assertThat(condition(status, "Progressing").getMessage())
        .contains("0x" + "dd".repeat(32), "chain 8453", "keep serving");
  }

  @Test
  void aNewReplica_goesOnlyToANodeWhoseDeviceTheContractAllows_andProgressingNamesTheOthers() {
    Seen seen = onChain(new Seen().replicas(2));
    seen.app.getSpec().placement = new Placement();
    seen.revision = "rev-1";
    seen.serving("vm-1", "rev-1");
    List<AvailableNode> nodes =
        List.of(
            new AvailableNode(1, "n1", "us-west", 10), new AvailableNode(2, "n2", "us-east", 10));

    Decision decision =
        decide(
            seen,
            new OnChainSeen(
                Observation.Lookup.notAsked(), Observation.Lookup.found(Optional.of(Set.of("n1")))),
            nodes);

    assertThat(decision.steps())
        .singleElement()
        .satisfies(s -> assertThat(((Step.AddReplica) s).nodeId()).isEqualTo(1));
  }

  @Test
  void noNodeWithAnAllowedDevice_addsNoReplica_andProgressingSaysDeviceNotAllowed() {
    Seen seen = onChain(new Seen().replicas(2));
    seen.app.getSpec().placement = new Placement();
    seen.app.getSpec().placement.nodeIds = List.of(2);
    seen.revision = "rev-1";
    seen.serving("vm-1", "rev-1");

    Decision decision =
        decide(
            seen,
            new OnChainSeen(
                Observation.Lookup.notAsked(), Observation.Lookup.found(Optional.of(Set.of("n1")))),
            List.of(
                new AvailableNode(1, "n1", "us-west", 10),
                new AvailableNode(2, "n2", "us-east", 10)));

    assertThat(decision.steps()).isEmpty();
    PhalaAppStatus status =
        StatusReport.of(seen.app, decision, java.util.Map.of(), decision.converging());
    assertThat(condition(status, "Progressing").getReason()).isEqualTo("DeviceNotAllowed");
    assertThat(condition(status, "Progressing").getMessage()).contains("n2");
  }

  @Test
  void anAppWhoseKmsRunsOnAnotherChain_isBlocked_KmsChainMismatch_andNothingChanges() {
    Seen seen = onChain(new Seen());
    seen.revision = "rev-2";
    seen.serving("vm-1", "rev-1");

    Decision decision =
        decide(
            seen,
            new OnChainSeen(
                Observation.Lookup.notAsked(),
                Observation.Lookup.notAsked(),
                Observation.Lookup.found(Optional.of(1L))),
            null);

    assertThat(decision.steps()).isEmpty();
    PhalaAppStatus status = decision.draft().toStatus(seen.app);
    assertThat(status.phase).isEqualTo("Blocked");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("KmsChainMismatch");
    assertThat(condition(status, "Ready").getMessage())
        .contains("spec.kms.chain is base (chain id 8453)", "runs on chain id 1");
    assertThat(decision.notes().toRecord(null))
        .anyMatch(n -> n.warning() && n.reason() == Reason.KMS_CHAIN_MISMATCH);
  }

  @Test
  void anAppWhoseKmsRunsOnTheSpecsChain_rollsOut() {
    Seen seen = onChain(new Seen());
    seen.revision = "rev-2";
    seen.serving("vm-1", "rev-1");

    Decision decision =
        decide(
            seen,
            new OnChainSeen(
                Observation.Lookup.notAsked(),
                Observation.Lookup.notAsked(),
                Observation.Lookup.found(Optional.of(8453L))),
            null);

    assertThat(decision.steps()).isNotEmpty();
  }

  /** vm-1 serving rev-1 on node 2 (n2), with no spec.placement: its replica goes to n2. */
  private static Seen servingOnNode2() {
    Seen seen = onChain(new Seen().replicas(2));
    seen.revision = "rev-1";
    seen.serving("vm-1", "rev-1");
    cloud.phala.operator.cloud.Cvm c = seen.cvms.get(0);
    seen.cvms.set(0, c.withPlacement(c.osImage(), 2));
    return seen;
  }

  private static final List<AvailableNode> TWO_NODES =
      List.of(new AvailableNode(1, "n1", "us-west", 10), new AvailableNode(2, "n2", "us-east", 10));

  @Test
  void withoutPlacement_aReplicaWhoseSourceNodesDeviceIsNotAllowed_isNotRequested() {
    Seen seen = servingOnNode2();

    Decision decision =
        decide(
            seen,
            new OnChainSeen(
                Observation.Lookup.notAsked(), Observation.Lookup.found(Optional.of(Set.of("n1")))),
            TWO_NODES);

    assertThat(decision.steps()).noneMatch(Step.AddReplica.class::isInstance);
    PhalaAppStatus status =
        StatusReport.of(seen.app, decision, java.util.Map.of(), decision.converging());
    assertThat(condition(status, "Progressing").getReason()).isEqualTo("DeviceNotAllowed");
    assertThat(condition(status, "Progressing").getMessage())
        .contains("nodes n2 are not used", "source's node");
  }

  @Test
  void withoutPlacement_aReplicaWhoseSourceNodesDeviceIsAllowed_goesToThatNode() {
    Seen seen = servingOnNode2();

    Decision decision =
        decide(
            seen,
            new OnChainSeen(
                Observation.Lookup.notAsked(), Observation.Lookup.found(Optional.of(Set.of("n2")))),
            TWO_NODES);

    assertThat(decision.steps())
        .singleElement()
        .satisfies(s -> assertThat(((Step.AddReplica) s).nodeId()).isNull());
  }

  @Test
  void a465WithACommitToken_recordsTheTokenAndTheCliCommit_inStatusOnly_neverInAMessage() {
    Seen seen = onChain(new Seen());
    seen.serving("vm-1", "rev-1");
    Decision decision = decide(seen, OnChainSeen.NONE, null);
    String token = "tok-canary-5b1e-do-not-leak";
    OnChainApproval asked = new OnChainApproval();
    asked.composeHash = "dd".repeat(32);
    asked.appId = Seen.APP_ID;
    asked.chainId = "8453";
    asked.commitCvmId = "vm-1";
    asked.commitToken = token;
    asked.commitUrl = "https://cloud.phala.network/cvms/vm-1/commit?token=" + token;

    PhalaAppStatus status = StatusReport.awaitingApproval(seen.app, decision, asked);

    assertThat(status.rollout.awaitingApproval.commitToken).isEqualTo(token);
    assertThat(status.rollout.awaitingApproval.commitCommand)
        .isEqualTo(
            "phala deploy --cvm-id vm-1 --commit --token <commitToken> --compose-hash "
                + "dd".repeat(32)
                + " --transaction-hash <transactionHash>");
    assertThat(status.conditions).allSatisfy(c -> assertThat(c.getMessage()).doesNotContain(token));
    assertThat(decision.notes().toRecord(null))
        .isNotEmpty()
        .allSatisfy(n -> assertThat(n.message()).doesNotContain(token));
  }
}
