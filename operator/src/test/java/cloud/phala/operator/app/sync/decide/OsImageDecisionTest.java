package cloud.phala.operator.app.sync.decide;

import static cloud.phala.operator.app.sync.decide.Seen.condition;
import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.owner.Claim;
import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.cloud.AvailableNode;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Decide with {@code spec.osImage}: image changes through the rolling engine. */
class OsImageDecisionTest {
  private static final String OLD = "dstack-0.5.4";
  private static final String NEW = "dstack-0.5.5";

  private final Decider decider = new Decider(new Revision(new byte[32]));
  private final Map<String, String> reported = new HashMap<>();
  private Observation.Lookup<List<String>> available = Observation.Lookup.notAsked();
  private Observation.Lookup<List<AvailableNode>> nodes = Observation.Lookup.notAsked();

  /** {@code seen} with the spec asking for {@code image} and each CVM reporting its own. */
  private Observation observation(Seen seen, String image) {
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
    List<Cvm> cvms = c.cvms().stream().map(this::reporting).toList();
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
            available,
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

  private Cvm reporting(Cvm c) {
    return c.withPlacement(reported.getOrDefault(c.vmUuid(), OLD), 1);
  }

  private Seen serving(int count, String revision) {
    Seen seen = new Seen().replicas(count);
    seen.revision = revision;
    for (int i = 1; i <= count; i++) {
      seen.serving("vm-" + i, revision);
    }
    return seen;
  }

  @Test
  void anImageChange_movesOneCvmAtATime_toTheImage_keepingItsEnvAndCompose() {
    Seen seen = serving(3, "rev-1");
    available = Observation.Lookup.found(List.of(NEW, OLD));

    Decision decision = decider.decide(observation(seen, NEW));

    assertThat(decision.steps()).singleElement().isInstanceOf(Step.Update.class);
    Step.Update update = (Step.Update) decision.steps().get(0);
    assertThat(update.change()).isEqualTo(new Step.Change.OsImage(NEW));
    assertThat(update.intent().revision()).isEqualTo("rev-1@" + NEW);
  }

  @Test
  void aCvmAlreadyOnTheImage_isNotRestarted_andIsRecordedOnIt() {
    Seen seen = serving(2, "rev-1");
    reported.put("vm-1", NEW);
    reported.put("vm-2", NEW);

    Decision decision = decider.decide(observation(seen, NEW));
    PhalaAppStatus status =
        StatusReport.of(seen.app, decision, seen.states, decision.convergingAfterSteps());

    assertThat(decision.steps()).isEmpty();
    assertThat(status.cvms).extracting(c -> c.envRevision).containsOnly("rev-1@" + NEW);
  }

  @Test
  void anImageTheCvmsCannotMoveTo_changesNothing_andSaysWhy() {
    Seen seen = serving(2, "rev-1");
    available = Observation.Lookup.found(List.of(OLD, "dstack-0.5.3"));

    Decision decision = decider.decide(observation(seen, "dstack-9.9.9"));
    PhalaAppStatus status =
        StatusReport.of(seen.app, decision, seen.states, decision.convergingAfterSteps());

    assertThat(decision.steps()).isEmpty();
    assertThat(condition(status, "Progressing").getReason()).isEqualTo("OsImageUnavailable");
    assertThat(condition(status, "Progressing").getMessage()).contains("dstack-9.9.9");
    assertThat(decision.notes().toRecord(seen.status))
        .extracting(n -> n.reason().wire())
        .contains("OsImageUnavailable");
  }

  @Test
  void anEnvChangeOnACvmOnTheOldImage_goesFirst_thenTheImage() {
    Seen seen = serving(1, "rev-1");
    seen.revision = "rev-2";
    available = Observation.Lookup.found(List.of(NEW, OLD));

    Decision env = decider.decide(observation(seen, NEW));

    Step.Update update = (Step.Update) env.steps().get(0);
    assertThat(update.change()).isEqualTo(new Step.Change.Env());
  }

  @Test
  void aFirstDeploy_provisionsOnTheImage() {
    Seen seen = new Seen();
    seen.claim = new Claim.Unclaimed();

    Decision decision = decider.decide(observation(seen, NEW));

    Step.Provision provision = (Step.Provision) decision.steps().get(0);
    assertThat(provision.request().osImage()).isEqualTo(NEW);
  }

  @Test
  void aFirstDeployOnAnImageNoNodeOffers_deploysNothing_andSaysWhy() {
    Seen seen = new Seen();
    seen.claim = new Claim.Unclaimed();
    nodes =
        Observation.Lookup.found(List.of(new AvailableNode(1, "n1", "us-west", 5, List.of(OLD))));

    Decision decision = decider.decide(observation(seen, "dstack-9.9.9"));

    assertThat(decision.steps()).isEmpty();
    assertThat(condition(decision.draft().toStatus(seen.app), "Progressing").getReason())
        .isEqualTo("OsImageUnavailable");
    assertThat(decision.notes().toRecord(seen.status))
        .extracting(n -> n.message())
        .contains(
            "OS image dstack-9.9.9 is not one the nodes offer (" + OLD + "); nothing is deployed");
  }

  @Test
  void tags_nameTheImage_andTheBaseRevisionSurvivesThem() {
    assertThat(OsImageTag.tag("rev", NEW)).isEqualTo("rev@" + NEW);
    assertThat(OsImageTag.tag("rev", null)).isEqualTo("rev");
    assertThat(OsImageTag.base("rev@" + NEW)).isEqualTo("rev");
    assertThat(OsImageTag.image("rev@" + NEW)).isEqualTo(NEW);
    assertThat(OsImageTag.image("rev")).isNull();
  }
}
