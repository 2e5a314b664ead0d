package cloud.phala.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A key of a ConfigMap in the PhalaApp's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigMapKeySelector {
  @Required
  @JsonPropertyDescription("Name of the ConfigMap.")
  public String name;

  @Required
  @JsonPropertyDescription("Key in the ConfigMap.")
  public String key;

  @JsonPropertyDescription("When true, a missing ConfigMap or key is skipped instead of an error.")
  public Boolean optional;
}
