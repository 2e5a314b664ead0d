package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.plan.RolloutSettings;
import cloud.phala.operator.app.resolve.Resolution;
import cloud.phala.operator.app.resolve.Revision;
import cloud.phala.operator.crd.PhalaAppSpec;
import java.util.Map;

/** What every CVM of the app should boot with, and how many there should be. */
public record Desired(
    EnvPayload env,
    String compose,
    String preLaunchScript,
    String revision,
    String composeRevision,
    int replicas,
    RolloutSettings rollout) {

  /** The spec's sources as resolved, named by {@code bound} (the revision key bound to the app). */
  public static Desired of(PhalaAppSpec spec, Resolution.Resolved resolved, Revision bound) {
    int replicas = EffectiveSpec.of(spec).replicas();
    return new Desired(
        new EnvPayload.Fresh(resolved.env()),
        resolved.compose(),
        resolved.preLaunchScript(),
        bound.of(resolved.env(), resolved.compose(), resolved.preLaunchScript()),
        bound.ofCompose(resolved.env().keys(), resolved.compose(), resolved.preLaunchScript()),
        replicas,
        RolloutSettings.from(spec.rollout, replicas));
  }

  /**
   * The names the earlier, unbound scheme ({@code unbound}) gave these same inputs, mapped to this
   * revision's and compose revision's.
   */
  public Map<String, String> earlierNames(Revision unbound, Resolution.Resolved resolved) {
    return Map.of(
        unbound.of(resolved.env(), resolved.compose(), resolved.preLaunchScript()),
        revision,
        unbound.ofCompose(resolved.env().keys(), resolved.compose(), resolved.preLaunchScript()),
        composeRevision);
  }
}
