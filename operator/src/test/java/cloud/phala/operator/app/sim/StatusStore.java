package cloud.phala.operator.app.sim;

import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Objects;

/**
 * The PhalaApp's status as the API server keeps it between passes. Each pass starts from a copy of
 * what it holds, as JOSDK hands the cached resource to the next pass. A write can be lost: it fails
 * (as a status patch that times out or is refused does), nothing is stored, and the pass that wrote
 * it ends with the exception, as JOSDK's would.
 */
final class StatusStore {
  /** A status write that did not reach the store. */
  static final class LostWrite extends RuntimeException {
    LostWrite() {
      super("the status write was lost", null, false, false);
    }
  }

  private PhalaAppStatus stored;
  private int writes;
  private int loseWriteNumber = -1;

  /** A copy of the stored status (null before the first write). */
  PhalaAppStatus read() {
    return copy(stored);
  }

  /** The stored status itself, for reading only (null before the first write). */
  PhalaAppStatus peek() {
    return stored;
  }

  /** The {@code nth} write from now (1: the next) is lost. */
  void loseWrite(int nth) {
    loseWriteNumber = writes + nth;
  }

  void neverLose() {
    loseWriteNumber = -1;
  }

  /** How many writes were sent so far, lost ones included. */
  int writes() {
    return writes;
  }

  void write(PhalaAppStatus status) {
    writes++;
    if (writes == loseWriteNumber) {
      throw new LostWrite();
    }
    stored = copy(status);
  }

  /** Whether {@code status} is what is stored, as the reconciler compares before writing. */
  boolean holds(PhalaAppStatus status) {
    return stored != null
        && Objects.equals(
            Serialization.jsonMapper().valueToTree(stored),
            Serialization.jsonMapper().valueToTree(status));
  }

  private static PhalaAppStatus copy(PhalaAppStatus status) {
    return status == null
        ? null
        : Serialization.jsonMapper().convertValue(status, PhalaAppStatus.class);
  }
}
