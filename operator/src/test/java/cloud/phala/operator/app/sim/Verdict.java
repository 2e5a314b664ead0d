package cloud.phala.operator.app.sim;

/**
 * How a history ended: every invariant held and it converged, or the first violation and where.
 * {@code trace} is a digest of what happened (requests made, passes run), to compare two runs.
 */
record Verdict(
    String violation, int stepsApplied, int passes, int envsGiven, long requests, String trace) {
  boolean held() {
    return violation == null;
  }

  @Override
  public String toString() {
    return held()
        ? "held after " + passes + " passes (" + envsGiven + " envs given)"
        : "VIOLATED after step " + stepsApplied + ", pass " + passes + ": " + violation;
  }
}
