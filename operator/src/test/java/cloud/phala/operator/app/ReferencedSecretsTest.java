package cloud.phala.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReferencedSecretsTest {
  @Test
  void theInformerKeepsNoValue_notEvenInTheLastAppliedAnnotation_onlyWhatNoticesAChange() {
    Secret full =
        new SecretBuilder()
            .withNewMetadata()
            .withName("db")
            .withNamespace("team-a")
            .withUid("u-1")
            .withResourceVersion("42")
            .addToAnnotations(
                "kubectl.kubernetes.io/last-applied-configuration",
                "{\"stringData\":{\"url\":\"canary-9d1e-informer\"}}")
            .addToLabels("team", "a")
            .addNewManagedField()
            .withManager("kubectl")
            .endManagedField()
            .endMetadata()
            .withType("Opaque")
            .withData(Map.of("url", "Y2FuYXJ5LTlkMWUtaW5mb3JtZXI="))
            .withStringData(Map.of("url", "canary-9d1e-informer"))
            .build();

    Secret kept = ReferencedSecrets.metadataOnly(full);

    assertThat(kept.getData()).isNullOrEmpty();
    assertThat(kept.getStringData()).isNullOrEmpty();
    assertThat(Serialization.asJson(kept))
        .doesNotContain("canary-9d1e")
        .doesNotContain("Y2FuYXJ5")
        .doesNotContain("kubectl");
    assertThat(kept.getMetadata().getName()).isEqualTo("db");
    assertThat(kept.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(kept.getType()).isEqualTo("Opaque");
  }

  private static Secret secret(String name, String resourceVersion) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("team-a")
        .withUid("uid-" + name)
        .withResourceVersion(resourceVersion)
        .endMetadata()
        .withType("Opaque")
        .withData(Map.of("url", "Y2FuYXJ5LXJlZmVyZW5jZWQ="))
        .build();
  }

  @Test
  void aSecretsDataIsRead_oncePerResourceVersion() {
    List<String> reads = new ArrayList<>();
    ReferencedSecrets secrets =
        new ReferencedSecrets(
            meta -> {
              reads.add(meta.getMetadata().getName());
              return secret(meta.getMetadata().getName(), meta.getMetadata().getResourceVersion());
            });

    secrets.withData(Optional.of(ReferencedSecrets.metadataOnly(secret("db", "1"))));
    secrets.withData(Optional.of(ReferencedSecrets.metadataOnly(secret("db", "1"))));
    secrets.withData(Optional.of(ReferencedSecrets.metadataOnly(secret("db", "2"))));

    assertThat(reads).containsExactly("db", "db");
  }

  @Test
  void theDataOfASecretNoAppReferencesAnyMore_isNotKept() {
    List<String> reads = new ArrayList<>();
    ReferencedSecrets secrets =
        new ReferencedSecrets(
            meta -> {
              reads.add(meta.getMetadata().getName());
              return secret(meta.getMetadata().getName(), meta.getMetadata().getResourceVersion());
            });
    Secret db = ReferencedSecrets.metadataOnly(secret("db", "1"));
    Secret api = ReferencedSecrets.metadataOnly(secret("api", "1"));
    secrets.withData(Optional.of(db));
    secrets.withData(Optional.of(api));

    secrets.retainReferenced(id -> id.getName().equals("api"));

    assertThat(secrets.kept()).containsExactly(new ResourceID("api", "team-a"));
    secrets.withData(Optional.of(db));
    assertThat(reads)
        .as("db is read again: its data was let go")
        .containsExactly("db", "api", "db");
  }
}
