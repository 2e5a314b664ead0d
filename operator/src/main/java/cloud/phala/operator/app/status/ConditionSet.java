package cloud.phala.operator.app.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The conditions a pass decided, merged with the previous ones so that {@code lastTransitionTime}
 * changes only when a condition's status does. Messages name keys and resources, never values.
 */
public final class ConditionSet {
  private final Map<ConditionType, Condition> decided = new EnumMap<>(ConditionType.class);

  /** Decides {@code type}; {@code reason} is one of its (checked when assertions are on). */
  public ConditionSet set(ConditionType type, boolean status, Reason reason, String message) {
    assert reason.conditionTypes().contains(type) : reason + " is not a reason of " + type;
    decided.put(
        type,
        new ConditionBuilder()
            .withType(type.wire())
            .withStatus(status ? "True" : "False")
            .withReason(reason.wire())
            .withMessage(message)
            .build());
    return this;
  }

  public boolean has(ConditionType type) {
    return decided.containsKey(type);
  }

  public boolean isTrue(ConditionType type) {
    Condition c = decided.get(type);
    return c != null && "True".equals(c.getStatus());
  }

  /** Decided conditions, then previous ones this pass did not decide, in a stable order. */
  public List<Condition> merge(List<Condition> previous, long generation, Instant now) {
    Map<String, Condition> before = new LinkedHashMap<>();
    if (previous != null) {
      previous.forEach(c -> before.put(c.getType(), c));
    }
    List<Condition> out = new ArrayList<>();
    for (ConditionType type : ConditionType.values()) {
      Condition next = decided.get(type);
      Condition old = before.get(type.wire());
      if (next == null) {
        if (old != null) {
          out.add(old);
        }
        continue;
      }
      boolean unchanged = old != null && Objects.equals(old.getStatus(), next.getStatus());
      out.add(
          new ConditionBuilder(next)
              .withObservedGeneration(generation)
              .withLastTransitionTime(
                  unchanged
                      ? old.getLastTransitionTime()
                      : now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
              .build());
    }
    return out;
  }
}
