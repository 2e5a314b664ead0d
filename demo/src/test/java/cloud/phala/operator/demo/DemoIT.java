package cloud.phala.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's demo, run to the end of its rotation with short boot times. */
class DemoIT {

  @Test
  void theDemo_deploysExamplesAndRotatesASecretWithAtLeastTwoOfThreeServing() throws Exception {
    List<String> printed = new ArrayList<>();

    Demo.Outcome outcome = Demo.run(Path.of(".."), Duration.ofMillis(800), printed::add, true);

    assertThat(outcome.rotatedRevision()).isNotEqualTo(outcome.firstRevision());
    assertThat(outcome.minServingDuringRotation()).isGreaterThanOrEqualTo(2);
    assertThat(String.join("\n", printed))
        .contains("READY 3/3")
        .doesNotContain("tok_demo_first")
        .doesNotContain("tok_demo_second");
  }
}
