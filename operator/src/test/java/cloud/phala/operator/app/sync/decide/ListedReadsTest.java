package cloud.phala.operator.app.sync.decide;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.cloud.AvailableNode;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.CvmState;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Placement;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Decide which reads around the listed CVMs a pass needs ({@link ListedReads}): a paused or halted
 * rollout reads no nodes, a paused one no OS images once its status says so, and what it reports is
 * the same as with the read.
 */
class ListedReadsTest {
  private static final String OLD = "dstack-0.5.4";
  private static final String NEW = "dstack-0.5.5";
  private static final Observation.Lookup<List<AvailableNode>> NODES =
      Observation.Lookup.found(
          List.of(
              new AvailableNode(1, "n1", "us-west", 5, List.of(OLD, NEW)),
              new AvailableNode(2, "n2", "us-east", 5, List.of(OLD, NEW))));

  private final Decider decider = new Decider(new Revision(new byte[32]));

  /** Two CVMs on rev-1 and {@link #OLD}; the spec asks for {@link #NEW}, paused. */
  private static Seen pausedOnNewImage() {
    Seen seen = new Seen().replicas(2).serving("vm-1", "rev-1").serving("vm-2", "rev-1");
    seen.revision = "rev-1";
    seen.rollout(r -> r.paused = true);
    return seen;
  }

  /** As the status of an earlier pass of the same paused rollout left it. */
  private static Seen saidPaused(Seen seen) {
    seen.status.envRevision = OsImageTag.tag(seen.revision, NEW);
    return seen.previousCondition(
        "Progressing", "False", "Paused", "spec.rollout.paused is true: no CVM is changed");
  }

  /** Two CVMs with spec.placement and a surge of one, about to roll rev-2. */
  private static Seen placedWithSurge() {
    Seen seen = new Seen().replicas(2).serving("vm-1", "rev-1").serving("vm-2", "rev-1");
    seen.app.getSpec().placement = new Placement();
    seen.app.getSpec().placement.nodeIds = List.of(1, 2);
    return seen.rollout(r -> r.maxSurge = new IntOrString(1));
  }

  /** rev-2 failed to boot on vm-3 (a surge CVM) and was halted. */
  private static Seen halted(Seen seen) {
    seen.cvm("vm-3", "error", false, "rev-2");
    seen.status.rollout = new PhalaAppStatus.RolloutStatus();
    seen.status.rollout.failedRevision = "rev-2";
    seen.status.rollout.failure = "CVM vm-3 failed to boot revision rev-2: exit 1";
    seen.status.rollout.failedAt = Seen.NOW.minusSeconds(60).toString();
    seen.status.rollout.action = "Halted";
    return seen;
  }

  @Test
  void aPausedRollout_thatSaidPausedOnThisImage_readsNoOsImages() {
    Observation seen = observation(saidPaused(pausedOnNewImage()), NEW, notAsked(), notAsked());

    assertThat(decider.listedReads(seen).osImages()).isFalse();
  }

  @Test
  void aPausedRollout_reportsTheSameStatus_withOrWithoutTheOsImageRead() {
    Observation.Lookup<List<String>> offered = Observation.Lookup.found(List.of(NEW, OLD));

    String with = status(saidPaused(pausedOnNewImage()), NEW, offered, notAsked());
    String without = status(saidPaused(pausedOnNewImage()), NEW, notAsked(), notAsked());

    assertThat(without).isEqualTo(with).contains("\"reason\":\"Paused\"");
  }

  @Test
  void aRolloutPausedBeforeItsImageChanged_readsTheOsImages_theImageIsCheckedOnce() {
    Seen seen = pausedOnNewImage();
    seen.status.envRevision = "rev-1";
    seen.previousCondition("Progressing", "False", "Paused", "paused");

    assertThat(decider.listedReads(observation(seen, NEW, notAsked(), notAsked())).osImages())
        .isTrue();
  }

  @Test
  void anUnpausedRollout_readsTheOsImagesAndTheNodes() {
    Seen seen = placedWithSurge();

    ListedReads reads = decider.listedReads(observation(seen, NEW, notAsked(), notAsked()));

    assertThat(reads.osImages()).isTrue();
    assertThat(reads.nodes()).isTrue();
  }

  @Test
  void aPausedRollout_readsNoNodes_andReportsTheSameStatusWithout() {
    Seen seen = placedWithSurge().rollout(r -> r.paused = true);
    seen.revision = "rev-2";

    assertThat(decider.listedReads(observation(seen, null, notAsked(), notAsked())).nodes())
        .isFalse();
    assertThat(status(seen, null, notAsked(), notAsked()))
        .isEqualTo(status(seen, null, notAsked(), NODES));
  }

  @Test
  void aHaltedRollout_readsNoNodes_andReportsTheSameStatusWithout() {
    Seen seen = halted(placedWithSurge());
    seen.revision = "rev-2";
    seen.states.put(
        "vm-3",
        new CvmState("error", false, java.util.Optional.of("exit 1"), java.util.Optional.empty()));

    assertThat(decider.listedReads(observation(seen, null, notAsked(), notAsked())).nodes())
        .isFalse();
    assertThat(status(seen, null, notAsked(), notAsked()))
        .isEqualTo(status(seen, null, notAsked(), NODES))
        .contains("\"phase\":\"Halted\"");
  }

  private String status(
      Seen seen,
      String image,
      Observation.Lookup<List<String>> images,
      Observation.Lookup<List<AvailableNode>> nodes) {
    Decision decision = decider.decide(observation(seen, image, images, nodes));
    Map<String, CvmState> states = Map.copyOf(seen.states);
    PhalaAppStatus status =
        StatusReport.of(seen.app, decision, states, decision.convergingAfterSteps());
    return Serialization.asJson(status);
  }

  private static <T> Observation.Lookup<T> notAsked() {
    return Observation.Lookup.notAsked();
  }

  /** {@code seen} with the spec asking for {@code image} (null: none) and the CVMs on OLD. */
  private static Observation observation(
      Seen seen,
      String image,
      Observation.Lookup<List<String>> images,
      Observation.Lookup<List<AvailableNode>> nodes) {
    Observation o = seen.observation();
    Desired d = o.desired();
    Desired desired =
        new Desired(
            d.env(),
            d.compose(),
            d.preLaunchScript(),
            OsImageTag.tag(d.revision(), image),
            OsImageTag.tag(d.composeRevision(), image),
            d.replicas(),
            d.rollout(),
            image);
    Observation.Cloud c = o.cloud();
    List<Cvm> cvms = c.cvms().stream().map(ListedReadsTest::onOld).toList();
    Observation.Cloud cloud =
        new Observation.Cloud(
            cvms,
            c.provisioned(),
            c.key(),
            c.states(),
            c.statesReadAt(),
            c.changedAt(),
            c.rollback(),
            c.history(),
            c.pinned(),
            c.listedAt(),
            images,
            nodes);
    return new Observation(
        o.app(),
        o.previous(),
        o.now(),
        o.operatorSecret(),
        o.sources(),
        desired,
        o.inputs(),
        o.earlierNames(),
        o.apiKeyProblem(),
        o.cvmName(),
        o.claim(),
        o.kmsId(),
        cloud,
        o.cloudProblem());
  }

  private static Cvm onOld(Cvm c) {
    return c.withPlacement(OLD, 1);
  }
}
