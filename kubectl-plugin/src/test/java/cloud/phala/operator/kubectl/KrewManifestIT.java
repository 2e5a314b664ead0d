package cloud.phala.operator.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.kubectl.build.KrewManifest;
import cloud.phala.operator.testsupport.Command;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The krew manifest the build wrote (target/krew/phala.yaml) against the archive it built: krew's
 * Plugin format, and a sha256 that is the archive's, naming files the archive holds.
 */
class KrewManifestIT {
  private static final Path MANIFEST =
      Path.of(System.getProperty("phala.kubectl.manifest", "missing"));

  @Test
  @SuppressWarnings("unchecked")
  void theBuiltManifest_isAKrewPlugin_whoseSha256IsTheBuiltArchives() throws Exception {
    Map<String, Object> manifest = Serialization.unmarshal(Files.readString(MANIFEST), Map.class);
    assertThat(manifest)
        .containsEntry("apiVersion", "krew.googlecontainertools.github.com/v1alpha2")
        .containsEntry("kind", "Plugin");
    assertThat((Map<String, Object>) manifest.get("metadata")).containsEntry("name", "phala");
    Map<String, Object> spec = (Map<String, Object>) manifest.get("spec");
    assertThat((String) spec.get("version")).matches("v\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");
    assertThat(spec).containsKeys("homepage", "shortDescription", "description", "caveats");
    List<Map<String, Object>> platforms = (List<Map<String, Object>>) spec.get("platforms");
    assertThat(platforms).hasSize(1);
    Map<String, Object> platform = platforms.get(0);
    assertThat(platform.get("selector").toString()).contains("os", "linux", "darwin");
    assertThat((String) platform.get("uri"))
        .startsWith("https://")
        .endsWith("/" + PluginShell.ARCHIVE.getFileName());
    assertThat(platform.get("sha256"))
        .as("the sha256 of the archive this build made")
        .isEqualTo(KrewManifest.sha256(PluginShell.ARCHIVE));
    assertThat(platform).containsEntry("bin", "kubectl-phala");

    String listing =
        Command.run("tar", "-tvzf", PluginShell.ARCHIVE.toString()).requireSuccess().output();
    for (Map<String, Object> file : (List<Map<String, Object>>) platform.get("files")) {
      assertThat(listing)
          .as("the archive holds %s", file.get("from"))
          .contains(" " + file.get("from") + "\n");
      assertThat(file).containsEntry("to", ".");
    }
    assertThat(listing.lines().filter(l -> l.endsWith(" kubectl-phala")))
        .singleElement()
        .asString()
        .as("the launcher is executable")
        .startsWith("-rwxr-xr-x");
  }
}
