package cloud.phala.operator.kubectl;

import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Rollout;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Optional;

/** A PhalaApp as read once: the typed model plus the day-two fields ({@link OpsFields}). */
record App(PhalaApp app, OpsFields ops) {
  String name() {
    return app.getMetadata().getName();
  }

  PhalaAppStatus status() {
    return app.getStatus() == null ? new PhalaAppStatus() : app.getStatus();
  }

  Rollout rollout() {
    return app.getSpec() == null || app.getSpec().rollout == null
        ? new Rollout()
        : app.getSpec().rollout;
  }

  int desiredReplicas() {
    return app.getSpec() == null || app.getSpec().replicas == null ? 1 : app.getSpec().replicas;
  }

  boolean paused() {
    return Boolean.TRUE.equals(rollout().paused);
  }

  List<OpsFields.HistoryEntry> history() {
    return ops.status.history == null ? List.of() : ops.status.history;
  }

  Optional<Condition> condition(String type) {
    List<Condition> conditions = status().conditions;
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  boolean conditionTrue(String type) {
    return condition(type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** The history revision number of an env revision, if the history has it. */
  Optional<Integer> revisionOf(String envRevision) {
    return history().stream()
        .filter(h -> envRevision != null && envRevision.equals(h.envRevision))
        .map(h -> h.revision)
        .findFirst();
  }

  /** {@code 3} when the history numbers the current revision, else a short env revision. */
  String currentRevisionLabel() {
    if (ops.status.revision != null) {
      return String.valueOf(ops.status.revision);
    }
    return shortRevision(status().envRevision);
  }

  static String shortRevision(String revision) {
    if (revision == null) {
      return "-";
    }
    return revision.length() > 12 ? revision.substring(0, 12) : revision;
  }
}
