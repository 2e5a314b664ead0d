package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.plan.RolloutSettings;
import cloud.phala.operator.app.resolve.Resolution;
import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.crd.PhalaAppSpec;
import java.util.Map;

/**
 * What every CVM of the app should boot with, and how many there should be. With an {@code osImage}
 * the revision names carry it ({@link OsImageTag}).
 */
public record Desired(
    EnvPayload env,
    String compose,
    String preLaunchScript,
    String revision,
    String composeRevision,
    int replicas,
    RolloutSettings rollout,
    String osImage) {

  /** On whatever OS image the CVMs run. */
  public Desired(
      EnvPayload env,
      String compose,
      String preLaunchScript,
      String revision,
      String composeRevision,
      int replicas,
      RolloutSettings rollout) {
    this(env, compose, preLaunchScript, revision, composeRevision, replicas, rollout, null);
  }

  /** The spec's sources as resolved, named by {@code bound} (the revision key bound to the app). */
  public static Desired of(PhalaAppSpec spec, Resolution.Resolved resolved, Revision bound) {
    EffectiveSpec effective = EffectiveSpec.of(spec);
    int replicas = effective.replicas();
    String image = effective.osImage();
    return new Desired(
        new EnvPayload.Fresh(resolved.env()),
        resolved.compose(),
        resolved.preLaunchScript(),
        OsImageTag.tag(
            bound.of(resolved.env(), resolved.compose(), resolved.preLaunchScript()), image),
        OsImageTag.tag(
            bound.ofCompose(resolved.env().keys(), resolved.compose(), resolved.preLaunchScript()),
            image),
        replicas,
        RolloutSettings.from(spec.rollout, replicas),
        image);
  }

  /**
   * The names the earlier, unbound scheme ({@code unbound}) gave these same inputs, mapped to this
   * revision's and compose revision's.
   */
  public Map<String, String> earlierNames(Revision unbound, Resolution.Resolved resolved) {
    return Map.of(
        unbound.of(resolved.env(), resolved.compose(), resolved.preLaunchScript()),
        OsImageTag.base(revision),
        unbound.ofCompose(resolved.env().keys(), resolved.compose(), resolved.preLaunchScript()),
        OsImageTag.base(composeRevision));
  }
}
