package cloud.phala.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One env var: a literal value or a key of a Secret or ConfigMap. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.value) && has(self.valueFrom))",
    message = "set value or valueFrom, not both")
public class EnvVarSource {
  @Required
  @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
  @Size(min = 1, max = 255)
  @JsonPropertyDescription("Name of the variable, as the CVM sees it.")
  public String name;

  @JsonPropertyDescription("A literal value. Do not put secrets here: use valueFrom.secretKeyRef.")
  public String value;

  @JsonPropertyDescription("Where the value comes from.")
  public ValueFrom valueFrom;

  /** A Secret key or a ConfigMap key. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.secretKeyRef) != has(self.configMapKeyRef)",
      message = "set exactly one of secretKeyRef or configMapKeyRef")
  public static class ValueFrom {
    @JsonPropertyDescription("A key of a Secret in the PhalaApp's namespace.")
    public SecretKeySelector secretKeyRef;

    @JsonPropertyDescription("A key of a ConfigMap in the PhalaApp's namespace.")
    public ConfigMapKeySelector configMapKeyRef;
  }
}
