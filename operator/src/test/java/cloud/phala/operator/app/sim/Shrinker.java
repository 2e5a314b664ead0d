package cloud.phala.operator.app.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Drops steps from a failing history while it still fails the same way (the violation's first
 * words), one at a time, until none can go.
 */
final class Shrinker {
  private Shrinker() {}

  /** The shortest replay found that still fails, and its verdict. */
  record Shrunk(Replay replay, Verdict verdict) {}

  static Shrunk shrink(long seed, Verdict failing) {
    int size = HistoryGenerator.generate(seed).steps().size();
    List<Integer> kept = new ArrayList<>(IntStream.range(0, size).boxed().toList());
    Verdict last = failing;
    boolean dropped = true;
    while (dropped) {
      dropped = false;
      for (int i = kept.size() - 1; i >= 0; i--) {
        List<Integer> fewer = new ArrayList<>(kept);
        fewer.remove(i);
        Verdict verdict = ControlLoop.run(new Replay(seed, fewer).history());
        if (!verdict.held() && kind(verdict).equals(kind(failing))) {
          kept = fewer;
          last = verdict;
          dropped = true;
        }
      }
    }
    return new Shrunk(new Replay(seed, List.copyOf(kept)), last);
  }

  /** What kind of violation: its words up to the first number or identifier. */
  private static String kind(Verdict verdict) {
    return verdict.violation().split("[0-9]", 2)[0];
  }
}
