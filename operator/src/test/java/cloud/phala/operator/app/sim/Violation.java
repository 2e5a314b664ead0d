package cloud.phala.operator.app.sim;

/** An invariant that did not hold; the message names CVMs, keys and counts, never a value. */
final class Violation extends RuntimeException {
  Violation(String message) {
    super(message, null, false, false);
  }
}
