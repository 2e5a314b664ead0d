package cloud.phala.operator.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The deterministic simulation with {@code INTENT_JOURNAL=on}: the intents of updates go to a
 * journal that outlives the operator as the status does ({@link JournalStore}), each process with
 * its own group commit; over generated histories, crashes at every point included, every invariant
 * of {@link ControlLoopSimulationTest} and {@link DayTwoSimulationTest} holds (no CVM restarted
 * twice for one revision, the floor, status telling the truth) and the app converges.
 *
 * <p>{@code -Ddst.journalHistories=N} runs N histories of each kind (default 500).
 */
class JournalSimulationTest {
  private static final long SEED = 20_261_204L;

  @Test
  void generatedHistoriesWithTheJournal_keepEveryInvariant_andConverge() {
    assertThat(failing(false)).as("histories that broke an invariant with the journal").isEmpty();
  }

  @Test
  void dayTwoHistoriesWithTheJournal_keepEveryInvariant_andConverge() {
    assertThat(failing(true))
        .as("day-two histories that broke an invariant with the journal")
        .isEmpty();
  }

  /**
   * An open bug of the journal, found by 5,000 day-two histories: a retry of a CVM whose boot
   * failed, written to the journal, sent, then the operator dies; the fresh operator takes the step
   * as not given (the CVM failed again, and the status it starts from shows it failed before the
   * intent) and restarts it once more. Without the journal the same history holds. This test pins
   * the bug so a fix is noticed: it then fails, and should assert no violation instead. This is why
   * the journal is off by default and not offered in the chart.
   */
  @Test
  void openBug_aRetriedFailedCvm_thenACrashAfterTheJournalWrite_isRestartedTwice() {
    Verdict verdict = ControlLoop.run(HistoryGenerator.generate(20_262_335L, true), true);

    assertThat(verdict.violation()).isNotNull().contains("restarted twice");
  }

  private static List<String> failing(boolean dayTwo) {
    int count = Integer.getInteger("dst.journalHistories", 500);
    List<String> failing = Collections.synchronizedList(new ArrayList<>());
    LongStream.range(SEED, SEED + count)
        .parallel()
        .forEach(
            seed -> {
              History history = HistoryGenerator.generate(seed, dayTwo);
              Verdict verdict = ControlLoop.run(history, true);
              if (!verdict.held() && KnownFailures.explaining(verdict.violation()).isEmpty()) {
                failing.add(seed + ": " + verdict.violation() + "\n  " + history);
              }
            });
    return failing;
  }
}
