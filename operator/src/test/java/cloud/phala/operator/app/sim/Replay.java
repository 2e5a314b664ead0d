package cloud.phala.operator.app.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A history written as one line: its seed, and (once shrunk) which of the seed's generated steps it
 * keeps, e.g. {@code 1234:0,3,5}. Lines of the regression lists are such replays.
 */
record Replay(long seed, List<Integer> kept) {
  static Replay parse(String line) {
    String[] parts = line.strip().split(":", 2);
    long seed = Long.parseLong(parts[0].strip());
    if (parts.length == 1) {
      return new Replay(seed, null);
    }
    List<Integer> kept =
        parts[1].isBlank()
            ? List.of()
            : Arrays.stream(parts[1].split(",")).map(s -> Integer.parseInt(s.strip())).toList();
    return new Replay(seed, kept);
  }

  History history() {
    History full = HistoryGenerator.generate(seed);
    if (kept == null) {
      return full;
    }
    List<Step> steps = new ArrayList<>();
    kept.forEach(i -> steps.add(full.steps().get(i)));
    return new History(seed, steps);
  }

  @Override
  public String toString() {
    return kept == null
        ? Long.toString(seed)
        : seed + ":" + String.join(",", kept.stream().map(String::valueOf).toList());
  }
}
