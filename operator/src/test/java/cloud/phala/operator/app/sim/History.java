package cloud.phala.operator.app.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A seed and the steps it generated (or what is left of them after shrinking). The seed also drives
 * the simulator's ids and fault draws and the client's jitter, so a history replays alike.
 */
record History(long seed, List<Step> steps) {
  History {
    steps = List.copyOf(steps);
  }

  History without(int index) {
    List<Step> fewer = new ArrayList<>(steps);
    fewer.remove(index);
    return new History(seed, fewer);
  }

  @Override
  public String toString() {
    return "seed "
        + seed
        + Pacing.of(seed)
        + ", "
        + steps.size()
        + " steps:"
        + steps.stream().map(s -> "\n    " + s).collect(Collectors.joining());
  }
}
