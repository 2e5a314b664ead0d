package cloud.phala.operator.crypto;

import java.util.List;
import java.util.stream.Collectors;

/** An env set broke one or more of the guest's rules; every violation is listed at once. */
public final class EnvValidationException extends IllegalArgumentException {
  private final List<EnvViolation> violations;

  EnvValidationException(List<EnvViolation> violations) {
    super(
        "env set is invalid ("
            + violations.size()
            + (violations.size() == 1 ? " problem): " : " problems): ")
            + violations.stream().map(EnvViolation::toString).collect(Collectors.joining("; ")));
    this.violations = List.copyOf(violations);
  }

  public List<EnvViolation> violations() {
    return violations;
  }
}
