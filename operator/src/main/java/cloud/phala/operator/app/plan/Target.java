package cloud.phala.operator.app.plan;

/**
 * What every CVM should run: the revision (env, compose, pre-launch script, key set) and, within
 * it, the compose revision (compose, pre-launch script and allowed key names: what a replica
 * inherits from the CVM it is copied from).
 */
public record Target(String revision, String composeRevision) {}
