package cloud.phala.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** AWS ECR login for the built-in pre-launch script. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AwsEcr {
  @Required
  @Pattern(Names.NAME)
  @Size(max = 253)
  @JsonPropertyDescription(
      "A Secret with keys AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and optionally AWS_SESSION_TOKEN.")
  public String secretName;

  @Required
  @JsonPropertyDescription("AWS region of the registry, e.g. us-east-1.")
  public String region;

  @Required
  @JsonPropertyDescription("The registry host, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com.")
  public String registry;
}
