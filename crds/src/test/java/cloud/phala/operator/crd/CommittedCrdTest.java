package cloud.phala.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The CRD is generated from the Java model at build time and committed (for kubectl, Helm, Argo CD
 * and reviewers). They must not drift: after changing the model, run {@code ./mvnw -pl crds -am
 * process-classes} (the generator, then {@code PrinterColumnOrder}, which puts the printer columns
 * in the order PhalaApp declares them) and copy the result over the committed files: {@code cp
 * crds/target/classes/META-INF/fabric8/phalaapps.phala.cloud-v1.yml crds/} and to {@code
 * helm/phala-operator/crds/}.
 */
class CommittedCrdTest {
  static final String FILE = "phalaapps.phala.cloud-v1.yml";

  @Test
  void theCommittedCrd_isExactlyWhatTheModelGenerates() throws IOException {
    String generated = Files.readString(Path.of("target", "classes", "META-INF", "fabric8", FILE));
    String committed = Files.readString(Path.of(FILE));

    assertThat(committed)
        .as("crds/%s is stale; regenerate it (see this test's javadoc)", FILE)
        .isEqualTo(generated);
  }
}
