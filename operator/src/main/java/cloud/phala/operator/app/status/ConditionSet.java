package cloud.phala.operator.app.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The conditions a pass decided, merged with the previous ones so that {@code lastTransitionTime}
 * changes only when a condition's status does. Messages name keys and resources, never values.
 */
public final class ConditionSet {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String SECRETS_RESOLVED = "SecretsResolved";
  public static final String PUBLIC_KEY_VERIFIED = "PublicKeyVerified";
  public static final String COMPOSE_VALID = "ComposeValid";

  private final Map<String, Condition> decided = new LinkedHashMap<>();

  public ConditionSet set(String type, boolean status, String reason, String message) {
    decided.put(
        type,
        new ConditionBuilder()
            .withType(type)
            .withStatus(status ? "True" : "False")
            .withReason(reason)
            .withMessage(message)
            .build());
    return this;
  }

  public boolean has(String type) {
    return decided.containsKey(type);
  }

  public boolean isTrue(String type) {
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
    for (String type :
        List.of(
            READY, PROGRESSING, DEGRADED, SECRETS_RESOLVED, PUBLIC_KEY_VERIFIED, COMPOSE_VALID)) {
      Condition next = decided.get(type);
      Condition old = before.get(type);
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
