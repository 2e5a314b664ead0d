package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.crd.PhalaAppSpec;
import java.util.List;

/**
 * The spec with every default applied: the one place a pass reads {@code replicas}, the instance
 * size, key verification and pause from. The API server applies the CRD's defaults on write; these
 * are the same values (a test keeps them equal), for objects it never defaulted.
 */
public record EffectiveSpec(
    int replicas,
    String instanceType,
    int diskSizeGb,
    String region,
    boolean verifyPublicKey,
    boolean paused,
    String osImage,
    boolean spread,
    List<Integer> nodeIds) {
  static final int DEFAULT_REPLICAS = 1;
  static final String DEFAULT_INSTANCE_TYPE = "tdx.small";
  static final int DEFAULT_DISK_SIZE_GB = 40;

  public static EffectiveSpec of(PhalaAppSpec spec) {
    return new EffectiveSpec(
        spec.replicas == null ? DEFAULT_REPLICAS : spec.replicas,
        spec.instanceType == null ? DEFAULT_INSTANCE_TYPE : spec.instanceType,
        spec.diskSizeGb == null ? DEFAULT_DISK_SIZE_GB : spec.diskSizeGb,
        spec.region,
        spec.kms == null || !Boolean.FALSE.equals(spec.kms.verifyPublicKey),
        spec.rollout != null && Boolean.TRUE.equals(spec.rollout.paused),
        spec.osImage,
        spec.placement != null,
        spec.placement == null || spec.placement.nodeIds == null
            ? null
            : List.copyOf(spec.placement.nodeIds));
  }
}
