package cloud.phala.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Which Phala Cloud nodes the app's CVMs go to: spread evenly over the allowed ones. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Placement {
  @Size(min = 1, max = 64)
  @ValidationRule(
      value = "self.all(x, x >= 0 && self.filter(y, y == x).size() == 1)",
      message = "nodeIds must be distinct node ids (0 or more)")
  @JsonPropertyDescription(
      "Ids of the nodes new CVMs may go to, as phala nodes list shows them (the teepod_id of"
          + " GET /teepods/available). Unset: every node in spec.region (or any region) with"
          + " capacity.")
  public List<Integer> nodeIds;
}
