package cloud.phala.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What BadInputDocTest accepts as a test that exercises a documented case. */
class TestSourceTest {
  private static final String SOURCE =
      """
      package x;

      class SomeIT {
        @Test
        void aRealTest_usesTheMessage() {
          // the operator's message, with a brace } and a quote " in a comment
          String brace = "{";
          assertThat(run()).contains("spec.env[0].name in body should match");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("cases")
        void aParameterizedTest(String json, String message) {
          assertThat(message).isNotNull();
        }

        static Stream<Arguments> cases() {
          return Stream.of(Arguments.of("{}", "Secret absent " + "not found"));
        }

        @Disabled
        @Test
        void aDisabledTest() {}

        private static void aHelper() {
          assertThat("spec.env[0].name in body should match").isNotNull();
        }
      }
      """;

  private final TestSource source = new TestSource("SomeIT", SOURCE);

  @Test
  void aHelperWithTheListedName_aDisabledTest_orAMissingMethod_isNotARunTest() {
    assertThat(source.whyNotARunTest("aRealTest_usesTheMessage")).isEmpty();
    assertThat(source.whyNotARunTest("aParameterizedTest")).isEmpty();
    assertThat(source.whyNotARunTest("aHelper")).contains("SomeIT#aHelper is not a @Test");
    assertThat(source.whyNotARunTest("aDisabledTest"))
        .contains("SomeIT#aDisabledTest is @Disabled");
    assertThat(source.whyNotARunTest("gone")).contains("SomeIT declares no method gone");
  }

  @Test
  void aClassNoRunnerPicksUp_holdsNoRunTests() {
    assertThat(
            new TestSource("SomeHelper", SOURCE.replace("SomeIT", "SomeHelper"))
                .whyNotARunTest("aRealTest_usesTheMessage"))
        .contains("SomeHelper is not a class the build runs as tests");
  }

  @Test
  void aTestsText_isItsOwnBodyAndItsMethodSource_notTheRestOfTheClass() {
    assertThat(source.textOf("aRealTest_usesTheMessage"))
        .contains("spec.env[0].name in body should match");
    assertThat(source.textOf("aParameterizedTest")).contains("Secret absent not found");
    assertThat(source.textOf("aParameterizedTest"))
        .doesNotContain("spec.env[0].name in body should match");
  }

  @Test
  void aCasesPieces_areItsCodeSpans_splitAtPlaceholders() {
    assertThat(
            BadInputDocTest.pieces(
                " CR: `secretKeyRef` without `key` | `Secret <name> not found`: `spec.x: Required"
                    + " value`"))
        .containsExactly("secretKeyRef", "Secret", "not found", "spec.x", "Required value");
  }
}
