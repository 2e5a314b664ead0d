package cloud.phala.operator.cloud;

/**
 * No answer from Phala Cloud (connection refused, reset, timed out). For a request that changes
 * something, {@link #mayHaveBeenApplied()} is true: the caller must observe before trying again.
 */
public final class PhalaTransportException extends RuntimeException {
  private final boolean mayHaveBeenApplied;

  PhalaTransportException(String operation, boolean mayHaveBeenApplied, Throwable cause) {
    super(
        operation
            + " got no answer from Phala Cloud"
            + (mayHaveBeenApplied ? " (it may have been applied)" : "")
            + ": "
            + cause.getClass().getSimpleName(),
        cause);
    this.mayHaveBeenApplied = mayHaveBeenApplied;
  }

  public boolean mayHaveBeenApplied() {
    return mayHaveBeenApplied;
  }
}
