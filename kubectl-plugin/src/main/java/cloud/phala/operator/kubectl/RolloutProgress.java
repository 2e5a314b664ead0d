package cloud.phala.operator.kubectl;

import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Map;
import java.util.Objects;

/**
 * Where a rollout stands, as {@code kubectl phala rollout status} reports it. Done means the
 * revision built from the current inputs runs on every replica and is Ready: the operator has seen
 * this generation and the current version of every Secret and ConfigMap it read, and every replica
 * runs the desired revision. A failure counts only once the status describes the current inputs, so
 * a Degraded left from an earlier revision does not fail a rollout that has not been seen yet.
 */
final class RolloutProgress {
  enum State {
    WAITING,
    DONE,
    FAILED
  }

  record Progress(State state, String message) {}

  private RolloutProgress() {}

  /**
   * @param secrets the current resourceVersion of each Secret, by name (absent: deleted)
   * @param configMaps the same for ConfigMaps
   */
  static Progress of(App app, Map<String, String> secrets, Map<String, String> configMaps) {
    PhalaAppStatus status = app.status();
    Long generation = app.app().getMetadata().getGeneration();
    if (status.observedGeneration == null || !status.observedGeneration.equals(generation)) {
      return waiting("Waiting for rollout spec update to be observed...");
    }
    String unseen = unseenInput(status.observedInputs, generation, secrets, configMaps);
    if (unseen != null) {
      return waiting("Waiting for the operator to read the latest " + unseen + "...");
    }
    String name = "phalaapp \"" + app.name() + "\"";
    if (app.conditionTrue("Degraded")
        || "Degraded".equals(status.phase)
        || "Halted".equals(status.phase)) {
      return new Progress(State.FAILED, name + " rollout failed: " + degraded(app));
    }
    int desired = app.desiredReplicas();
    int updated = orZero(status.updatedReplicas);
    int current = orZero(status.replicas);
    String restartAt = app.ops().spec.restartAt;
    boolean restarting = restartAt != null && !restartAt.equals(app.ops().status.restartedAt);
    if (updated == desired && current == desired && app.conditionTrue("Ready") && !restarting) {
      return new Progress(
          State.DONE,
          name + " successfully rolled out (revision " + app.currentRevisionLabel() + ")");
    }
    if ("Blocked".equals(status.phase)) {
      // Waits rather than fails: a Secret created just after the app unblocks it.
      Condition ready = app.condition("Ready").orElse(null);
      return waiting(
          "Rollout is blocked"
              + (ready == null ? "" : ": " + ready.getReason() + ": " + ready.getMessage()));
    }
    if (app.paused()) {
      return waiting(
          "Rollout is paused: "
              + updated
              + " of "
              + desired
              + " updated replicas (kubectl phala rollout resume "
              + app.name()
              + ")");
    }
    if (updated < desired) {
      return waiting(
          "Waiting for rollout to finish: " + updated + " of " + desired + " updated replicas...");
    }
    if (restarting && updated == desired && current == desired) {
      return waiting(
          "Waiting for restart to finish: every replica restarted since " + restartAt + "...");
    }
    if (current > desired) {
      return waiting(
          "Waiting for rollout to finish: "
              + (current - desired)
              + " old replicas are pending termination...");
    }
    return waiting(
        "Waiting for rollout to finish: "
            + updated
            + " of "
            + desired
            + " updated replicas, waiting for Ready...");
  }

  private static Progress waiting(String message) {
    return new Progress(State.WAITING, message);
  }

  /** The first input the status was not computed from, e.g. {@code Secret payments-keys}. */
  private static String unseenInput(
      PhalaAppStatus.ObservedInputs inputs,
      Long generation,
      Map<String, String> secrets,
      Map<String, String> configMaps) {
    if (inputs == null || !Objects.equals(inputs.generation, generation)) {
      return "PhalaApp spec";
    }
    String secret = changed(inputs.secrets, secrets);
    if (secret != null) {
      return "Secret " + secret;
    }
    String configMap = changed(inputs.configMaps, configMaps);
    return configMap == null ? null : "ConfigMap " + configMap;
  }

  private static String changed(Map<String, String> observed, Map<String, String> current) {
    if (observed == null) {
      return null;
    }
    return observed.entrySet().stream()
        .filter(e -> !e.getValue().equals(current.get(e.getKey())))
        .map(Map.Entry::getKey)
        .sorted()
        .findFirst()
        .orElse(null);
  }

  private static String degraded(App app) {
    Condition degraded = app.condition("Degraded").orElse(null);
    String failure = app.status().rollout == null ? null : app.status().rollout.failure;
    if (degraded != null && "True".equals(degraded.getStatus())) {
      return degraded.getReason() + ": " + degraded.getMessage();
    }
    return app.status().phase + (failure == null ? "" : ": " + failure);
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
