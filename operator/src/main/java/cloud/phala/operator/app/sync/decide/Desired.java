package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.app.plan.RolloutSettings;

/** What every CVM of the app should boot with, and how many there should be. */
public record Desired(
    EnvPayload env,
    String compose,
    String preLaunchScript,
    String revision,
    String composeRevision,
    int replicas,
    RolloutSettings rollout) {}
