package cloud.phala.operator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloud.phala.operator.kubectl.build.KrewManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KrewManifestTest {
  @Test
  void theTemplate_getsTheVersionUriAndTheArchivesSha256(@TempDir Path dir) throws Exception {
    Path archive = Files.writeString(dir.resolve("a.tar.gz"), "abc");
    Path out = dir.resolve("krew/phala.yaml");
    Files.writeString(dir.resolve("t.yaml"), "version: v@VERSION@\nuri: @URI@\nsha256: @SHA256@\n");

    KrewManifest.main(
        new String[] {
          dir.resolve("t.yaml").toString(),
          archive.toString(),
          "1.2.3",
          "https://x/a.tar.gz",
          out.toString()
        });

    assertThat(Files.readString(out))
        .isEqualTo(
            "version: v1.2.3\nuri: https://x/a.tar.gz\nsha256:"
                + " ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n");
  }

  @Test
  void anUnknownPlaceholder_failsTheBuild(@TempDir Path dir) throws Exception {
    Path archive = Files.writeString(dir.resolve("a.tar.gz"), "abc");
    Files.writeString(dir.resolve("t.yaml"), "name: @NAME@\n");
    assertThatThrownBy(
            () ->
                KrewManifest.main(
                    new String[] {
                      dir.resolve("t.yaml").toString(),
                      archive.toString(),
                      "1",
                      "u",
                      dir.resolve("o.yaml").toString()
                    }))
        .hasMessageContaining("unknown placeholder");
  }
}
