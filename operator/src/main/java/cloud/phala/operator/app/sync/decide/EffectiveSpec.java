package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.cloud.CompactDuration;
import cloud.phala.operator.crd.PhalaAppSpec;
import java.time.Duration;
import java.util.List;

/**
 * The spec with every default applied: the one place a pass reads {@code replicas}, the instance
 * size, key verification and pause from. The API server applies the CRD's defaults on write; these
 * are the same values (a test keeps them equal), for objects it never defaulted.
 *
 * @param minReady {@code minReadySeconds}, within the CRD's 0 to 3600 seconds
 * @param batchWindow {@code rollout.batchWindow}: zero when unset or unreadable, at most the CRD's
 *     1h
 */
public record EffectiveSpec(
    int replicas,
    String instanceType,
    int diskSizeGb,
    String region,
    boolean verifyPublicKey,
    boolean paused,
    Duration minReady,
    Duration batchWindow,
    String osImage,
    boolean spread,
    List<Integer> nodeIds) {
  static final int DEFAULT_REPLICAS = 1;
  static final String DEFAULT_INSTANCE_TYPE = "tdx.small";
  static final int DEFAULT_DISK_SIZE_GB = 40;
  static final int DEFAULT_MIN_READY_SECONDS = 0;
  static final int MAX_MIN_READY_SECONDS = 3600;
  static final Duration MAX_BATCH_WINDOW = Duration.ofHours(1);

  public static EffectiveSpec of(PhalaAppSpec spec) {
    return new EffectiveSpec(
        spec.replicas == null ? DEFAULT_REPLICAS : spec.replicas,
        spec.instanceType == null ? DEFAULT_INSTANCE_TYPE : spec.instanceType,
        spec.diskSizeGb == null ? DEFAULT_DISK_SIZE_GB : spec.diskSizeGb,
        spec.region,
        spec.kms == null || !Boolean.FALSE.equals(spec.kms.verifyPublicKey),
        spec.rollout != null && Boolean.TRUE.equals(spec.rollout.paused),
        Duration.ofSeconds(
            spec.minReadySeconds == null
                ? DEFAULT_MIN_READY_SECONDS
                : Math.max(0, Math.min(MAX_MIN_READY_SECONDS, spec.minReadySeconds))),
        batchWindow(spec.rollout == null ? null : spec.rollout.batchWindow),
        spec.osImage,
        spec.placement != null,
        spec.placement == null || spec.placement.nodeIds == null
            ? null
            : List.copyOf(spec.placement.nodeIds));
  }

  /** A PhalaApp stored before the CRD limited it keeps a longer one: read as the longest. */
  private static Duration batchWindow(String text) {
    Duration window = CompactDuration.parse(text).orElse(Duration.ZERO);
    return window.compareTo(MAX_BATCH_WINDOW) > 0 ? MAX_BATCH_WINDOW : window;
  }
}
