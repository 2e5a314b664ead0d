package cloud.phala.operator.app.lint;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.status.Reason;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ComposeLintTest {
  private static final String COMPOSE =
      """
      services:
        app:
          image: app
          environment:
            - API_KEY=${API_KEY}
            - TOKEN="${TOKEN}"
            - DOMAIN=${DSTACK_APP_DOMAIN}
            - MISSING=${NOT_PROVIDED}
            # - OLD=${COMMENTED_OUT}
          command: run --db $DATABASE_URL
        other:
          environment:
            BLANKED: ""
      """;

  @Test
  void quotedInterpolation_missingUnusedAndBlankedKeys_areWarned() {
    assertThat(
            ComposeLint.lint(
                COMPOSE, Set.of("API_KEY", "TOKEN", "DATABASE_URL", "UNUSED", "BLANKED"), false))
        .extracting(ComposeLint.Warning::reason)
        .containsExactlyInAnyOrder(
            Reason.QUOTED_INTERPOLATION,
            Reason.BLANKED_KEY,
            Reason.MISSING_KEY,
            Reason.UNUSED_KEY,
            Reason.UNUSED_KEY);
  }

  @Test
  void injectedDstackVariables_countAsProvided_andBuiltInHelpersAreNotUnused() {
    assertThat(
            ComposeLint.lint(
                "services: {a: {environment: [D=${DSTACK_APP_ID}, G=${DSTACK_GATEWAY_DOMAIN}]}}",
                Set.of("DSTACK_DOCKER_USERNAME"),
                false))
        .isEmpty();
  }

  @Test
  void helperVariablesUnderACustomPreLaunchScript_areWarned() {
    assertThat(ComposeLint.lint("services: {}", Set.of("DSTACK_ROOT_PASSWORD"), true))
        .extracting(ComposeLint.Warning::reason)
        .contains(Reason.HELPER_WITHOUT_BUILT_IN_SCRIPT);
  }

  @Test
  void warnings_nameKeysNeverValues() {
    assertThat(ComposeLint.lint(COMPOSE, Set.of("API_KEY"), false))
        .allSatisfy(w -> assertThat(w.message()).doesNotContain("postgres"));
  }
}
