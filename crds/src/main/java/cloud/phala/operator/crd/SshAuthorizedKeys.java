package cloud.phala.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** SSH public keys allowed to log in to the CVMs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SshAuthorizedKeys {
  @Required
  @JsonPropertyDescription("A Secret key holding authorized_keys lines.")
  public SecretKeySelector secretKeyRef;
}
