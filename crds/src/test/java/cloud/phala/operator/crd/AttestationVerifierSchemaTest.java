package cloud.phala.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * spec.attestation names a verifier, never where it is: the dstack verifier's URL is operator-wide
 * (DSTACK_VERIFIER_URL), so no namespace can aim the operator's requests at an address it picks.
 */
class AttestationVerifierSchemaTest {
  @Test
  void theVerifierIsOneOfThreeNames_andSpecAttestationHasNoFieldForAnAddress() throws IOException {
    CustomResourceDefinition crd =
        Serialization.unmarshal(
            Files.readString(Path.of(CommittedCrdTest.FILE)), CustomResourceDefinition.class);
    JSONSchemaProps attestation =
        crd.getSpec()
            .getVersions()
            .get(0)
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("spec")
            .getProperties()
            .get("attestation");

    assertThat(attestation.getProperties().get("verifier").getEnum())
        .extracting(n -> n.asText())
        .containsExactlyInAnyOrder("phala-cloud", "none", "dstack");
    assertThat(fieldNames(attestation))
        .noneMatch(n -> n.toLowerCase().matches(".*(url|host|endpoint|address|uri).*"));
    assertThat(attestation.getXKubernetesPreserveUnknownFields()).isNotEqualTo(Boolean.TRUE);
  }

  private static List<String> fieldNames(JSONSchemaProps schema) {
    List<String> out = new ArrayList<>();
    if (schema.getProperties() != null) {
      schema
          .getProperties()
          .forEach(
              (name, child) -> {
                out.add(name);
                out.addAll(fieldNames(child));
              });
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      out.addAll(fieldNames(schema.getItems().getSchema()));
    }
    return out;
  }
}
