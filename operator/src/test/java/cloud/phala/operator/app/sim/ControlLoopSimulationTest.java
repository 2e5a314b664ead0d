package cloud.phala.operator.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Deterministic simulation of the control loop: the real {@code AppSync} against the in-process
 * simulator, under virtual time and a seeded scheduler, over generated histories (see {@link
 * HistoryGenerator}, {@link ControlLoop}, {@link Invariants}).
 *
 * <p>{@code -Ddst.histories=N} runs N histories (default 10,000); {@code -Ddst.seed=S} starts at
 * seed S (default a fixed seed, so a build is repeatable; {@code random} for a fresh one); {@code
 * -Ddst.replay=1234:0,3,5} runs one replay alone.
 */
class ControlLoopSimulationTest {
  private static final int DEFAULT_HISTORIES = 10_000;
  private static final long DEFAULT_SEED = 20_260_101L;

  @Test
  void generatedHistories_keepEveryInvariant_andConverge() {
    String only = System.getProperty("dst.replay");
    if (only != null && !only.isBlank()) {
      Verdict verdict = ControlLoop.run(Replay.parse(only).history());
      System.out.println("replay " + only + ": " + verdict);
      assertThat(verdict.violation()).as(Replay.parse(only).history().toString()).isNull();
      return;
    }
    int count = Integer.getInteger("dst.histories", DEFAULT_HISTORIES);
    long base = baseSeed();
    List<Long> failing = Collections.synchronizedList(new ArrayList<>());
    Map<String, AtomicInteger> known = new ConcurrentHashMap<>();
    AtomicLong passes = new AtomicLong();
    AtomicLong requests = new AtomicLong();
    long started = System.nanoTime();
    LongStream.range(base, base + count)
        .parallel()
        .forEach(
            seed -> {
              Verdict verdict = ControlLoop.run(HistoryGenerator.generate(seed));
              passes.addAndGet(verdict.passes());
              requests.addAndGet(verdict.requests());
              if (verdict.held()) {
                return;
              }
              var explained = KnownFailures.explaining(verdict.violation());
              if (explained.isPresent()) {
                known
                    .computeIfAbsent(explained.get().bug(), b -> new AtomicInteger())
                    .incrementAndGet();
              } else {
                failing.add(seed);
              }
            });
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "%d histories (seeds %d..%d) in %.1f s: %.0f histories/second; %d passes, %d requests%n",
        count, base, base + count - 1, seconds, count / seconds, passes.get(), requests.get());
    new TreeMap<>(known)
        .forEach((bug, n) -> System.out.println("  known bug, " + n + " histories: " + bug));
    if (!failing.isEmpty()) {
      long first = Collections.min(failing);
      Verdict verdict = ControlLoop.run(HistoryGenerator.generate(first));
      Shrinker.Shrunk shrunk = Shrinker.shrink(first, verdict);
      String report = FailureReport.of(failing.size(), shrunk);
      System.out.println(report);
      assertThat(failing).as(report).isEmpty();
    }
  }

  static List<String> regressionSeeds() {
    return KnownFailures.regressions().stream().map(Replay::toString).toList();
  }

  @ParameterizedTest(name = "replay {0}")
  @MethodSource("regressionSeeds")
  void aReplayThatOnceFailed_holdsNow(String replay) {
    History history = Replay.parse(replay).history();
    Verdict verdict = ControlLoop.run(history);
    assertThat(verdict.violation()).as(history.toString()).isNull();
  }

  static List<String> knownFailing() {
    return KnownFailures.known().stream().map(k -> k.replay().toString()).toList();
  }

  // no known bug left is fine: the list is empty until the simulation finds another
  @ParameterizedTest(name = "known bug {0}", allowZeroInvocations = true)
  @MethodSource("knownFailing")
  void aKnownBug_stillShows_untilItIsFixed(String replay) {
    KnownFailures.Known known =
        KnownFailures.known().stream()
            .filter(k -> k.replay().toString().equals(replay))
            .findFirst()
            .orElseThrow();
    Verdict verdict = ControlLoop.run(known.replay().history());
    System.out.println("known bug " + replay + " (" + known.bug() + "): " + verdict);
    assertThat(verdict.violation())
        .as("fixed? then move " + replay + " to regression-seeds.txt")
        .contains(known.signature());
  }

  @Test
  void theSameSeed_givesTheSameHistoryAndTheSameResult() {
    for (long seed = DEFAULT_SEED; seed < DEFAULT_SEED + 5; seed++) {
      History history = HistoryGenerator.generate(seed);
      assertThat(HistoryGenerator.generate(seed)).isEqualTo(history);
      Verdict first = ControlLoop.run(history);
      Verdict second = ControlLoop.run(history);
      assertThat(second).isEqualTo(first);
    }
  }

  @Test
  void whatTheOperatorAndAFailureReportPrint_holdsNoSecretValue() {
    for (long seed = DEFAULT_SEED; seed < DEFAULT_SEED + 5; seed++) {
      History history = HistoryGenerator.generate(seed);
      List<String> printed = new ArrayList<>(ControlLoop.eventsOf(history));
      printed.add(history.toString());
      printed.add(
          FailureReport.of(
              1,
              new Shrinker.Shrunk(
                  new Replay(seed, List.of()), new Verdict("a violation", 0, 0, 0, 0, ""))));
      assertThat(printed).noneMatch(line -> line.contains(UserCluster.CANARY));
    }
  }

  private static long baseSeed() {
    String seed = System.getProperty("dst.seed");
    if (seed == null || seed.isBlank()) {
      return DEFAULT_SEED;
    }
    return "random".equals(seed) ? System.nanoTime() & 0xFFFF_FFFFL : Long.parseLong(seed);
  }
}
