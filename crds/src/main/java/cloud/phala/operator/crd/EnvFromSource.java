package cloud.phala.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Every key of a Secret or ConfigMap as an env var. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.secretRef) != has(self.configMapRef)",
    message = "set exactly one of secretRef or configMapRef")
public class EnvFromSource {
  @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
  @JsonPropertyDescription("Prepended to every key, e.g. API_ turns token into API_token.")
  public String prefix;

  @JsonPropertyDescription("A Secret in the PhalaApp's namespace.")
  public NamedRef secretRef;

  @JsonPropertyDescription("A ConfigMap in the PhalaApp's namespace.")
  public NamedRef configMapRef;

  /** A Secret or ConfigMap by name. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class NamedRef {
    @Required
    @Pattern(Names.NAME)
    @Size(max = 253)
    @JsonPropertyDescription("Name of the Secret or ConfigMap.")
    public String name;

    @JsonPropertyDescription("When true, a missing Secret or ConfigMap is skipped.")
    public Boolean optional;
  }
}
