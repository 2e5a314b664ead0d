package cloud.phala.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key of a ConfigMap in the PhalaApp's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigMapKeySelector {
  @Required
  @Pattern(Names.NAME)
  @Size(max = 253)
  @JsonPropertyDescription("Name of the ConfigMap.")
  public String name;

  @Required
  @Pattern(Names.KEY)
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Key in the ConfigMap.")
  public String key;

  @JsonPropertyDescription("When true, a missing ConfigMap or key is skipped instead of an error.")
  public Boolean optional;
}
