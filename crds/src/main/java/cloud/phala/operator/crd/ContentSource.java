package cloud.phala.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** A text document given inline or read from a ConfigMap key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.inline) != has(self.configMapKeyRef)",
    message = "set exactly one of inline or configMapKeyRef")
public class ContentSource {
  @JsonPropertyDescription("The content itself.")
  public String inline;

  @JsonPropertyDescription("A key of a ConfigMap in the PhalaApp's namespace.")
  public ConfigMapKeySelector configMapKeyRef;
}
