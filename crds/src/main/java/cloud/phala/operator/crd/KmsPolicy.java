package cloud.phala.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** How the env encryption public key of the app is checked before anything is sealed to it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KmsPolicy {
  @Default("true")
  @JsonPropertyDescription(
      "Verify the KMS signature over the app's env public key before sealing to it. Default true.")
  public Boolean verifyPublicKey;
}
