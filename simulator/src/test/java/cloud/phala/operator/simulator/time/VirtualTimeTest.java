package cloud.phala.operator.simulator.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualTimeTest {
  private final VirtualTime time = new VirtualTime();
  private final List<String> ran = new ArrayList<>();

  private Runnable note(String name) {
    return () -> ran.add(name + "@" + time.now());
  }

  @Test
  void theClockStandsStillUntilTimeIsAdvanced() {
    Instant start = time.clock().instant();

    assertThat(time.clock().instant()).isEqualTo(start).isEqualTo(VirtualTime.DEFAULT_START);
    time.advance(Duration.ofSeconds(90));
    assertThat(time.clock().instant()).isEqualTo(start.plusSeconds(90));
    assertThat(time.nanoTime()).isEqualTo(Duration.ofSeconds(90).toNanos());
  }

  @Test
  void advancingRunsEachDueTaskInDueOrder_withTheClockAtItsDueTime() {
    time.schedule(Duration.ofSeconds(5), note("b"));
    time.schedule(Duration.ofSeconds(2), note("a"));
    time.schedule(Duration.ofSeconds(9), note("late"));

    time.advance(Duration.ofSeconds(6));

    assertThat(ran)
        .containsExactly(
            "a@" + VirtualTime.DEFAULT_START.plusSeconds(2),
            "b@" + VirtualTime.DEFAULT_START.plusSeconds(5));
    assertThat(time.now()).isEqualTo(VirtualTime.DEFAULT_START.plusSeconds(6));
    assertThat(time.pending()).isEqualTo(1);
    assertThat(time.nextDueIn()).contains(Duration.ofSeconds(3));
  }

  @Test
  void tasksDueAtTheSameTime_runInTheOrderTheyWereScheduled() {
    for (String name : List.of("one", "two", "three")) {
      time.schedule(Duration.ofSeconds(1), () -> ran.add(name));
    }

    time.advance(Duration.ofSeconds(1));

    assertThat(ran).containsExactly("one", "two", "three");
  }

  @Test
  void aTaskScheduledByATask_runsInTheSameAdvanceWhenItFallsDueOnTheWay() {
    time.schedule(
        Duration.ofSeconds(1),
        () -> {
          ran.add("first");
          time.schedule(Duration.ofSeconds(1), note("second"));
        });

    time.advance(Duration.ofSeconds(3));

    assertThat(ran).containsExactly("first", "second@" + VirtualTime.DEFAULT_START.plusSeconds(2));
  }

  @Test
  void runDue_runsOnlyWhatIsDueNow_andAdvanceToNext_jumpsToTheNextTask() {
    time.schedule(Duration.ZERO, note("now"));
    time.schedule(Duration.ofMinutes(10), note("later"));

    assertThat(time.runDue()).isEqualTo(1);
    assertThat(ran).containsExactly("now@" + VirtualTime.DEFAULT_START);

    assertThat(time.advanceToNext()).isTrue();
    assertThat(time.now()).isEqualTo(VirtualTime.DEFAULT_START.plus(Duration.ofMinutes(10)));
    assertThat(ran).hasSize(2);
    assertThat(time.advanceToNext()).isFalse();
    assertThat(time.nextDueIn()).isEmpty();
  }

  @Test
  void sleeping_movesVirtualTimeOn() {
    time.schedule(Duration.ofMillis(300), note("woken"));

    time.sleep(Duration.ofSeconds(1));

    assertThat(ran).hasSize(1);
    assertThat(time.now()).isEqualTo(VirtualTime.DEFAULT_START.plusSeconds(1));
  }

  @Test
  void afterClose_nothingScheduledRuns() {
    time.schedule(Duration.ofSeconds(1), note("never"));

    time.close();
    time.schedule(Duration.ofSeconds(1), note("never either"));
    time.advance(Duration.ofSeconds(5));

    assertThat(ran).isEmpty();
  }
}
