package cloud.phala.operator.cloud.attestation;

import cloud.phala.operator.cloud.attestation.Check.Outcome;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The result of checking one CVM's attestation: each {@link Step} separately, the instance id the
 * evidence is bound to, or why no attestation was available.
 */
public record Evidence(
    Optional<String> unavailable, Map<Step, Check> checks, Optional<String> instanceId) {
  public Evidence {
    checks = Map.copyOf(checks);
  }

  static Evidence unavailable(String reason) {
    Map<Step, Check> none = new EnumMap<>(Step.class);
    for (Step step : Step.values()) {
      none.put(step, Check.notChecked(step, reason));
    }
    return new Evidence(Optional.of(reason), none, Optional.empty());
  }

  static Evidence of(List<Check> checks, Optional<String> instanceId) {
    Map<Step, Check> byStep = new EnumMap<>(Step.class);
    checks.forEach(c -> byStep.put(c.step(), c));
    return new Evidence(Optional.empty(), byStep, instanceId);
  }

  public Outcome outcome(Step step) {
    return checks.get(step).outcome();
  }

  public List<Check> failures() {
    return checks.values().stream()
        .filter(c -> c.outcome() == Outcome.FAILED)
        .sorted((a, b) -> a.step().compareTo(b.step()))
        .toList();
  }

  /** Available and no step failed; NOT_CHECKED steps are the caller's policy to judge. */
  public boolean noneFailed() {
    return unavailable.isEmpty() && failures().isEmpty();
  }
}
