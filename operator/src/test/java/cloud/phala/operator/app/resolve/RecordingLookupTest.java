package cloud.phala.operator.app.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordingLookupTest {
  private final Map<String, Secret> secrets = new HashMap<>();
  private final Map<String, ConfigMap> configMaps = new HashMap<>();
  private final SourceLookup cache =
      new SourceLookup() {
        @Override
        public Optional<Secret> secret(String name) {
          return Optional.ofNullable(secrets.get(name));
        }

        @Override
        public Optional<ConfigMap> configMap(String name) {
          return Optional.ofNullable(configMaps.get(name));
        }
      };

  private static Secret secret(String name, String version) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withResourceVersion(version)
        .endMetadata()
        .addToStringData("token", "s3cr3t")
        .build();
  }

  @Test
  void notesTheVersionOfWhatItHandsOut_asFirstRead_andNeverAValue() {
    secrets.put("api", secret("api", "7"));
    configMaps.put(
        "compose",
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("compose")
            .withResourceVersion("12")
            .endMetadata()
            .build());
    RecordingLookup lookup = new RecordingLookup(cache);

    lookup.secret("api");
    secrets.put("api", secret("api", "8"));
    lookup.secret("api");
    lookup.secret("missing");
    lookup.configMap("compose");

    assertThat(lookup.secrets())
        .as("a Secret that changed between two reads of one pass: the older version")
        .containsExactlyEntriesOf(Map.of("api", "7"));
    assertThat(lookup.configMaps()).containsExactlyEntriesOf(Map.of("compose", "12"));
    assertThat(lookup.secrets().toString()).doesNotContain("s3cr3t");
  }
}
