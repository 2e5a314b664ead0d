package cloud.phala.operator.app.web;

import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-app gauges of CVMs by phase ({@code phala_app_replicas{namespace,name,phase}}) and a counter
 * of finished rollouts by result ({@code phala_rollouts_total{result}}: completed or failed).
 */
public final class AppMetrics {
  /** The values of {@code phala_app_replicas}' {@code phase} label: Phala Cloud's, or other. */
  public static final List<String> PHASES =
      List.of("running", "starting", "updating", "shutting_down", "error", "other");

  private static final List<String> PHASES_AND_FAILED =
      List.of(
          "running",
          "starting",
          "updating",
          "shutting_down",
          "error",
          "other",
          "rollout-failed",
          "awaiting-approval",
          "attestation-failed");
  private static final String FAILED =
      "1 while a PhalaApp's rollout is halted or rolled back after a failure";
  private static final String AWAITING =
      "1 while an on-chain KMS PhalaApp's change waits for its owner's on-chain approval";
  private static final String ATTESTATION_FAILED =
      "CVMs of a PhalaApp whose attestation failed a check (spec.attestation)";
  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> replicas = new ConcurrentHashMap<>();

  public AppMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Called with the status a pass wrote, and the one before it. */
  public void observed(PhalaApp app, PhalaAppStatus before, PhalaAppStatus after) {
    String namespace = app.getMetadata().getNamespace();
    String name = app.getMetadata().getName();
    for (String phase : PHASES) {
      long count =
          after.cvms == null
              ? 0
              : after.cvms.stream()
                  .filter(c -> phase.equals(PHASES.contains(c.phase) ? c.phase : "other"))
                  .count();
      gauge(namespace, name, phase).set((int) count);
    }
    flag(namespace, name, "rollout-failed", "phala.app.rollout.failed", FAILED)
        .set(after.rollout != null && after.rollout.failedRevision != null ? 1 : 0);
    flag(namespace, name, "awaiting-approval", "phala.app.awaiting.approval", AWAITING)
        .set(after.rollout != null && after.rollout.awaitingApproval != null ? 1 : 0);
    flag(namespace, name, "attestation-failed", "phala.app.attestation.failed", ATTESTATION_FAILED)
        .set(
            after.cvms == null
                ? 0
                : (int)
                    after.cvms.stream()
                        .filter(c -> c.attestation != null)
                        .filter(c -> List.of("Failed", "Malformed").contains(c.attestation.verdict))
                        .count());
    boolean wasRolling = before != null && isTrue(before, ConditionType.PROGRESSING);
    if (wasRolling && !isTrue(after, ConditionType.PROGRESSING)) {
      Counter.builder("phala.rollouts")
          .tag("result", isTrue(after, ConditionType.DEGRADED) ? "failed" : "completed")
          .register(registry)
          .increment();
    }
  }

  /** Drops an app's gauges when it is deleted. */
  public void forget(PhalaApp app) {
    for (String phase : PHASES_AND_FAILED) {
      AtomicInteger value =
          replicas.remove(
              key(app.getMetadata().getNamespace(), app.getMetadata().getName(), phase));
      if (value != null) {
        value.set(0);
      }
    }
  }

  private AtomicInteger flag(
      String namespace, String name, String key, String metric, String description) {
    return replicas.computeIfAbsent(
        key(namespace, name, key),
        k -> {
          AtomicInteger value = new AtomicInteger();
          Gauge.builder(metric, value, AtomicInteger::get)
              .description(description)
              .tags(Tags.of("namespace", namespace, "name", name))
              .register(registry);
          return value;
        });
  }

  private AtomicInteger gauge(String namespace, String name, String phase) {
    return replicas.computeIfAbsent(
        key(namespace, name, phase),
        k -> {
          AtomicInteger value = new AtomicInteger();
          Gauge.builder("phala.app.replicas", value, AtomicInteger::get)
              .description("CVMs of a PhalaApp by Phala Cloud phase")
              .tags(Tags.of("namespace", namespace, "name", name, "phase", phase))
              .register(registry);
          return value;
        });
  }

  private static String key(String namespace, String name, String phase) {
    return namespace + "/" + name + "/" + phase;
  }

  private static boolean isTrue(PhalaAppStatus status, ConditionType type) {
    return status.conditions != null
        && status.conditions.stream()
            .anyMatch(c -> type.wire().equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
