package cloud.phala.operator.simulator.cloud;

/** The status strings Phala Cloud reports for a CVM (a free string in the API). */
public final class CvmStatus {
  public static final String STARTING = "starting";
  public static final String RUNNING = "running";
  public static final String SHUTTING_DOWN = "shutting_down";
  public static final String RESTARTING = "restarting";
  public static final String STOPPING = "stopping";
  public static final String STOPPED = "stopped";

  /** A boot that failed, e.g. an env the guest could not open; {@code boot_error} says why. */
  public static final String ERROR = "error";

  private CvmStatus() {}
}
