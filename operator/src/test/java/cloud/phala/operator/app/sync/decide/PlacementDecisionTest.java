package cloud.phala.operator.app.sync.decide;

import static cloud.phala.operator.app.sync.decide.Seen.condition;
import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.owner.Claim;
import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.cloud.AvailableNode;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Placement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decide with {@code spec.placement}: new CVMs go to nodes, or say why they cannot. */
class PlacementDecisionTest {
  private final Decider decider = new Decider(new Revision(new byte[32]));

  private Decision decide(Seen seen, List<AvailableNode> nodes) {
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
            Observation.Lookup.found(nodes));
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

  private static Seen placed(Seen seen, Integer... nodeIds) {
    seen.app.getSpec().placement = new Placement();
    seen.app.getSpec().placement.nodeIds = nodeIds.length == 0 ? null : List.of(nodeIds);
    return seen;
  }

  @Test
  void aScaleUp_placesEachNewReplica_onTheListedNodeWithFewestOfTheAppsCvms() {
    Seen seen = placed(new Seen().replicas(3), 2, 3);
    seen.revision = "rev-1";
    seen.serving("vm-1", "rev-1");

    Decision decision =
        decide(
            seen,
            List.of(
                new AvailableNode(1, "n1", "us-west", 10),
                new AvailableNode(2, "n2", "us-east", 10),
                new AvailableNode(3, "n3", "eu-central", 10)));

    assertThat(decision.steps())
        .allSatisfy(s -> assertThat(s).isInstanceOf(Step.AddReplica.class))
        .extracting(s -> ((Step.AddReplica) s).nodeId())
        .containsExactly(2, 3);
  }

  @Test
  void noListedNodeWithAFreeSlot_addsNothing_andProgressingSaysWhy() {
    Seen seen = placed(new Seen().replicas(2), 7, 2);
    seen.revision = "rev-1";
    seen.serving("vm-1", "rev-1");

    Decision decision = decide(seen, List.of(new AvailableNode(2, "n2", "us-east", 0)));
    PhalaAppStatus status =
        StatusReport.of(seen.app, decision, seen.states, decision.convergingAfterSteps());

    assertThat(decision.steps()).isEmpty();
    assertThat(condition(status, "Progressing").getReason()).isEqualTo("NodeUnavailable");
    assertThat(condition(status, "Progressing").getMessage())
        .contains("spec.placement.nodeIds names nodes Phala Cloud does not offer: [7]")
        .contains("no allowed node has a free slot for 1 more CVM(s)");
  }

  @Test
  void aFirstDeploy_provisionsOnANodeOfTheRegion() {
    Seen seen = placed(new Seen());
    seen.claim = new Claim.Unclaimed();
    seen.app.getSpec().region = "eu-central";

    Decision decision =
        decide(
            seen,
            List.of(
                new AvailableNode(1, "n1", "us-west", 10),
                new AvailableNode(3, "n3", "eu-central", 10)));

    Step.Provision provision = (Step.Provision) decision.steps().get(0);
    assertThat(provision.request().nodeId()).isEqualTo(3);
  }
}
