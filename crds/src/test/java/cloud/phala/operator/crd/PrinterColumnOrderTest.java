package cloud.phala.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed CRD lists its printer columns as a Deployment's read, AGE last, then -o wide's. */
class PrinterColumnOrderTest {
  @Test
  void columnsReadLikeADeployments() throws IOException {
    List<String> names =
        Files.readString(Path.of(CommittedCrdTest.FILE))
            .lines()
            .map(String::trim)
            .dropWhile(l -> !l.endsWith("additionalPrinterColumns:"))
            .filter(l -> l.startsWith("name: ") && !l.contains("v1alpha1"))
            .limit(8)
            .map(l -> l.substring("name: ".length()).replace("\"", ""))
            .toList();

    assertThat(names)
        .containsExactly(
            "READY", "UP-TO-DATE", "AVAILABLE", "STATUS", "REVISION", "AGE", "STRATEGY", "APP-ID");
  }

  @Test
  void reorder_changesOnlyTheColumnList() {
    String yaml =
        """
        spec:
          versions:
          - additionalPrinterColumns:
            - jsonPath: ".a"
              name: "A"
            - jsonPath: ".b"
              name: "B"
            name: "v1"
        """;

    assertThat(cloud.phala.operator.crd.build.PrinterColumnOrder.reorder(yaml, List.of("B", "A")))
        .isEqualTo(
            """
            spec:
              versions:
              - additionalPrinterColumns:
                - jsonPath: ".b"
                  name: "B"
                - jsonPath: ".a"
                  name: "A"
                name: "v1"
            """);
  }
}
