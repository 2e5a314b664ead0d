package cloud.phala.operator.app.sync;

import cloud.phala.operator.crd.PhalaAppStatus;

/** Writes status in the middle of a pass, before a step that must not be repeated. */
@FunctionalInterface
public interface StatusCheckpoint {
  void write(PhalaAppStatus status);
}
