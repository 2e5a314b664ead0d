package cloud.phala.operator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloud.phala.operator.crd.PhalaApp;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UndoTargetTest {
  @Test
  void withoutARevision_pinsTheOneBeforeTheCurrent_likeKubectlRolloutUndo() {
    assertThat(UndoTarget.choose(app(3, 3, 2, 1), null)).isEqualTo(2);
    assertThat(UndoTarget.choose(app(3, 3, 2, 1), 0)).isEqualTo(2);
    assertThat(UndoTarget.choose(app(2, 3, 2, 1), null))
        .as("pinned at 2, a second undo goes one further back")
        .isEqualTo(1);
    assertThat(UndoTarget.choose(app(5, 5, 3), null)).as("gaps in the history").isEqualTo(3);
  }

  @Test
  void toRevision_mustBeInTheHistory() {
    assertThat(UndoTarget.choose(app(3, 3, 2, 1), 1)).isEqualTo(1);
    assertThatThrownBy(() -> UndoTarget.choose(app(3, 3, 2, 1), 9))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith("unable to find revision 9 in the history of phalaapp \"app\"");
  }

  @Test
  void nothingBefore_orNoHistory_isAClearError() {
    assertThatThrownBy(() -> UndoTarget.choose(app(1, 1), null))
        .hasMessage("phalaapp \"app\" has no revision before 1 in its history: nothing to undo");
    assertThatThrownBy(() -> UndoTarget.choose(app(null), null))
        .hasMessageContaining("has no rollout history yet");
  }

  static App app(Integer current, int... revisions) {
    PhalaApp app = new PhalaApp();
    app.setMetadata(new ObjectMetaBuilder().withName("app").build());
    OpsFields ops = new OpsFields();
    ops.status.revision = current;
    List<OpsFields.HistoryEntry> history = new ArrayList<>();
    for (int revision : revisions) {
      OpsFields.HistoryEntry entry = new OpsFields.HistoryEntry();
      entry.revision = revision;
      history.add(entry);
    }
    ops.status.history = history;
    return new App(app, ops);
  }
}
