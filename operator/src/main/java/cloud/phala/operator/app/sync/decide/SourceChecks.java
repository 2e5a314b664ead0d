package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.lint.ComposeLint;
import cloud.phala.operator.app.resolve.Resolution;
import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.status.Reason;
import cloud.phala.operator.crypto.EnvViolation;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** What the referenced sources say before anything is deployed: unresolved, or compose warnings. */
final class SourceChecks {
  private SourceChecks() {}

  static Decision unresolved(StatusDraft draft, Notes notes, Resolution resolution) {
    Reason reason;
    String message;
    if (resolution instanceof Resolution.Missing missing) {
      reason = Reason.MISSING_SOURCE;
      message = String.join("; ", missing.problems());
    } else {
      reason = Reason.INVALID_ENV;
      message =
          ((Resolution.Invalid) resolution)
              .violations().stream().map(EnvViolation::toString).collect(Collectors.joining("; "));
    }
    draft
        .conditions()
        .set(
            ConditionType.SECRETS_RESOLVED,
            false,
            reason,
            message + "; running CVMs are left as they are");
    return Decider.blocked(draft, notes, reason, message);
  }

  static void lint(StatusDraft draft, Notes notes, Resolution.Resolved resolved) {
    Set<String> keys = Set.copyOf(resolved.env().keys());
    List<ComposeLint.Warning> warnings =
        ComposeLint.lint(resolved.compose(), keys, resolved.preLaunchScript() != null);
    if (warnings.isEmpty()) {
      draft
          .conditions()
          .set(
              ConditionType.COMPOSE_VALID,
              true,
              Reason.NO_WARNINGS,
              "the compose and the env agree");
      return;
    }
    String message =
        warnings.stream().map(ComposeLint.Warning::message).collect(Collectors.joining("; "));
    draft.conditions().set(ConditionType.COMPOSE_VALID, false, warnings.get(0).reason(), message);
    notes.warnOnce(Reason.COMPOSE_WARNING, message);
  }
}
