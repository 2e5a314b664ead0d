package cloud.phala.operator.app.plan;

import java.time.Instant;

/**
 * What every CVM should run: the revision (env, compose, pre-launch script, key set) and, within
 * it, the compose revision (compose, pre-launch script and allowed key names: what a replica
 * inherits from the CVM it is copied from); and {@code restartBefore} (null: none), a
 * spec.restartAt that has come: every CVM given its revision (or restarted) before it restarts.
 */
public record Target(String revision, String composeRevision, Instant restartBefore) {
  public Target(String revision, String composeRevision) {
    this(revision, composeRevision, null);
  }
}
