package cloud.phala.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
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
}
