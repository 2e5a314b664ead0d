package cloud.phala.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every section of docs/kubectl-plugin.md with commands is run by one of the two guide tests. */
class KubectlPluginDocTest {
  @Test
  void everySectionWithCommands_isRunByKubectlPluginGuideE2EOrKubectlPluginGuideIT()
      throws Exception {
    List<String> expected =
        new ArrayList<>(List.of("Install", "Follow a rollout", "Pause and resume"));
    expected.addAll(PluginGuide.RUN_BY_PLUGIN_IT);
    assertThat(PluginGuide.commands().keySet()).containsExactlyInAnyOrderElementsOf(expected);
  }
}
