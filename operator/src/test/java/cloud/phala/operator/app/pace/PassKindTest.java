package cloud.phala.operator.app.pace;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PassKindTest {
  private static PhalaApp app(String progressing) {
    PhalaApp app = new PhalaApp();
    if (progressing != null) {
      app.setStatus(new PhalaAppStatus());
      app.getStatus().conditions =
          List.of(
              new ConditionBuilder().withType("Ready").withStatus("True").build(),
              new ConditionBuilder().withType("Progressing").withStatus(progressing).build());
    }
    return app;
  }

  @Test
  void anAppWhoseRolloutRuns_queuesAFollowUp_anAppAtRestOrNewAFirstPass_anythingElseUnknown() {
    assertThat(PassKind.of(Optional.of(app("True")))).isEqualTo(PassKind.FOLLOW_UP);
    assertThat(PassKind.of(Optional.of(app("False")))).isEqualTo(PassKind.FIRST);
    assertThat(PassKind.of(Optional.of(app(null)))).isEqualTo(PassKind.FIRST);
    assertThat(PassKind.of(Optional.of(new ConfigMap()))).isEqualTo(PassKind.UNKNOWN);
    assertThat(PassKind.of(Optional.empty())).isEqualTo(PassKind.UNKNOWN);
    assertThat(PassKind.of(ReconcileTasks.resourceOf(() -> {})))
        .as("a task that is not JOSDK's runs as a first pass")
        .isEqualTo(PassKind.UNKNOWN);
  }
}
