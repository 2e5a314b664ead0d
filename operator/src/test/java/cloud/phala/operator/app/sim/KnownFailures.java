package cloud.phala.operator.app.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The replay lists under {@code src/test/resources/cloud/phala/operator/app/sim/}: {@code
 * regression-seeds.txt} (replays that once failed and must hold now) and {@code known-failing.txt}
 * (bugs of today's operator not fixed yet: {@code replay | what the violation says | the bug}). A
 * generated history whose violation says what a known bug says is counted and printed, not failed;
 * each known replay must still fail that way, so a fix is noticed.
 */
final class KnownFailures {
  /** One known bug: a replay that shows it and words its violations contain. */
  record Known(Replay replay, String signature, String bug) {}

  private KnownFailures() {}

  static List<Replay> regressions() {
    return lines("regression-seeds.txt").stream().map(Replay::parse).toList();
  }

  static List<Known> known() {
    List<Known> out = new ArrayList<>();
    for (String line : lines("known-failing.txt")) {
      String[] parts = line.split("\\|", 3);
      out.add(new Known(Replay.parse(parts[0]), parts[1].strip(), parts[2].strip()));
    }
    return out;
  }

  static Optional<Known> explaining(String violation) {
    return known().stream().filter(k -> violation.contains(k.signature())).findFirst();
  }

  private static List<String> lines(String name) {
    var in = KnownFailures.class.getResourceAsStream(name);
    if (in == null) {
      return List.of();
    }
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return reader
          .lines()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
