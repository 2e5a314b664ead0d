package cloud.phala.operator.app.sim;

/**
 * What a failing run prints: the seed, the violation, the shortened history and how to replay it.
 */
final class FailureReport {
  private FailureReport() {}

  static String of(int failingHistories, Shrinker.Shrunk shrunk) {
    History history = shrunk.replay().history();
    return failingHistories
        + " histories broke an invariant. The first, seed "
        + shrunk.replay().seed()
        + ", shortened to "
        + history.steps().size()
        + " steps:\n  "
        + history
        + "\n  "
        + shrunk.verdict()
        + "\n  replay alone: ./mvnw -pl operator test -Dtest=ControlLoopSimulationTest"
        + "#generatedHistories_keepEveryInvariant_andConverge -Ddst.replay="
        + shrunk.replay()
        + "\n  then add the line "
        + shrunk.replay()
        + " to src/test/resources/cloud/phala/operator/app/sim/regression-seeds.txt"
        + " (or, for a bug not fixed yet, to known-failing.txt)";
  }
}
