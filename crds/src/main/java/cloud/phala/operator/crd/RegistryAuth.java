package cloud.phala.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Private registry credentials for the built-in pre-launch script. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RegistryAuth {
  @Required
  @Pattern(Names.NAME)
  @Size(max = 253)
  @JsonPropertyDescription(
      "A kubernetes.io/dockerconfigjson Secret in the PhalaApp's namespace, as made by kubectl"
          + " create secret docker-registry. It must hold exactly one registry.")
  public String secretName;
}
