package cloud.phala.operator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Rollout;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutProgressTest {
  private static final Map<String, String> SEEN = Map.of("keys", "10");

  @Test
  void done_whenTheStatusDescribesTheCurrentInputs_andEveryReplicaRunsItReady() {
    var progress = RolloutProgress.of(app(3, 3, "True", "False"), SEEN, Map.of());
    assertThat(progress.state()).isEqualTo(RolloutProgress.State.DONE);
    assertThat(progress.message())
        .isEqualTo("phalaapp \"app\" successfully rolled out (revision 7)");
  }

  @Test
  void waiting_whileReplicasAreUpdated_orOldOnesLeave_orReadyIsPending() {
    assertThat(RolloutProgress.of(app(1, 3, "False", "False"), SEEN, Map.of()).message())
        .isEqualTo("Waiting for rollout to finish: 1 of 3 updated replicas...");
    assertThat(RolloutProgress.of(app(3, 4, "False", "False"), SEEN, Map.of()).message())
        .isEqualTo("Waiting for rollout to finish: 1 old replicas are pending termination...");
    assertThat(RolloutProgress.of(app(3, 3, "False", "False"), SEEN, Map.of()).message())
        .isEqualTo("Waiting for rollout to finish: 3 of 3 updated replicas, waiting for Ready...");
  }

  @Test
  void waiting_untilTheOperatorHasSeenTheSpecAndEverySecret() {
    App app = app(3, 3, "True", "False");
    app.app().getMetadata().setGeneration(3L);
    assertThat(RolloutProgress.of(app, SEEN, Map.of()).message())
        .isEqualTo("Waiting for rollout spec update to be observed...");
    assertThat(RolloutProgress.of(app(3, 3, "True", "False"), Map.of("keys", "11"), Map.of()))
        .isEqualTo(
            new RolloutProgress.Progress(
                RolloutProgress.State.WAITING,
                "Waiting for the operator to read the latest Secret keys..."));
    assertThat(RolloutProgress.of(app(3, 3, "True", "False"), Map.of(), Map.of()).message())
        .as("a deleted Secret")
        .contains("Secret keys");
  }

  @Test
  void failed_onDegradedForTheCurrentInputs_only() {
    var failed = RolloutProgress.of(app(0, 3, "False", "True"), SEEN, Map.of());
    assertThat(failed.state()).isEqualTo(RolloutProgress.State.FAILED);
    assertThat(failed.message())
        .isEqualTo("phalaapp \"app\" rollout failed: RolloutHalted: CVM c1 failed to boot");
    assertThat(
            RolloutProgress.of(app(0, 3, "False", "True"), Map.of("keys", "11"), Map.of()).state())
        .as("a Degraded the operator wrote before the Secret changed")
        .isEqualTo(RolloutProgress.State.WAITING);
  }

  @Test
  void afterARestart_waitsUntilStatusRestartedAtReachesSpecRestartAt() {
    App app = app(3, 3, "True", "False");
    app.ops().spec.restartAt = "2026-12-03T10:00:00Z";
    assertThat(RolloutProgress.of(app, SEEN, Map.of()).message())
        .isEqualTo(
            "Waiting for restart to finish: every replica restarted since 2026-12-03T10:00:00Z...");
    app.ops().status.restartedAt = "2026-12-03T10:00:00Z";
    assertThat(RolloutProgress.of(app, SEEN, Map.of()).state())
        .isEqualTo(RolloutProgress.State.DONE);
  }

  @Test
  void blocked_waitsAndSaysWhy() {
    App app = app(0, 0, "False", "False");
    app.app().getStatus().phase = "Blocked";
    app.app().getStatus().conditions =
        List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus("False")
                .withReason("SecretNotFound")
                .withMessage("Secret keys not found")
                .build());
    assertThat(RolloutProgress.of(app, SEEN, Map.of()))
        .isEqualTo(
            new RolloutProgress.Progress(
                RolloutProgress.State.WAITING,
                "Rollout is blocked: SecretNotFound: Secret keys not found"));
  }

  @Test
  void paused_saysSo_andHowToResume() {
    App app = app(1, 3, "False", "False");
    app.app().getSpec().rollout = new Rollout();
    app.app().getSpec().rollout.paused = true;
    assertThat(RolloutProgress.of(app, SEEN, Map.of()).message())
        .isEqualTo("Rollout is paused: 1 of 3 updated replicas (kubectl phala rollout resume app)");
  }

  private static App app(int updated, int replicas, String ready, String degraded) {
    PhalaApp app = new PhalaApp();
    app.setMetadata(new ObjectMetaBuilder().withName("app").withGeneration(2L).build());
    app.setSpec(new PhalaAppSpec());
    app.getSpec().replicas = 3;
    PhalaAppStatus status = new PhalaAppStatus();
    status.observedGeneration = 2L;
    status.observedInputs = new PhalaAppStatus.ObservedInputs();
    status.observedInputs.generation = 2L;
    status.observedInputs.secrets = Map.of("keys", "10");
    status.updatedReplicas = updated;
    status.replicas = replicas;
    status.phase = "True".equals(degraded) ? "Halted" : "Rolling";
    status.conditions =
        List.of(
            new ConditionBuilder().withType("Ready").withStatus(ready).withReason("R").build(),
            new ConditionBuilder()
                .withType("Degraded")
                .withStatus(degraded)
                .withReason("RolloutHalted")
                .withMessage("CVM c1 failed to boot")
                .build());
    app.setStatus(status);
    OpsFields ops = new OpsFields();
    ops.status.revision = 7;
    return new App(app, ops);
  }
}
