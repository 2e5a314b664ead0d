package cloud.phala.operator.app.plan;

/** One step the planner allows now. Each restarts, creates or removes exactly one CVM. */
public sealed interface Action {
  /** Provision and commit the app's first CVM. */
  record CreateApp() implements Action {}

  /** A new CVM of the app, on the desired revision. */
  record AddReplica() implements Action {}

  /** Give a CVM the desired revision (it restarts). */
  record Update(String vmUuid) implements Action {}

  /** Remove a CVM. */
  record Remove(String vmUuid) implements Action {}
}
