package cloud.phala.operator.app.pace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class PassExecutorTest {
  private record Pass(String name, PassKind kind, List<String> ran) implements Runnable {
    @Override
    public void run() {
      ran.add(name);
    }
  }

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** One thread, kept busy while 5 first passes and then a follow-up are queued. */
  private List<String> runAWaveThenAFollowUp(boolean rolloutsFirst) {
    PassExecutor executor =
        new PassExecutor(
            1,
            rolloutsFirst,
            task -> task instanceof Pass p ? p.kind() : PassKind.UNKNOWN,
            registry);
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch busy = new CountDownLatch(1);
    try {
      executor.execute(
          () -> {
            try {
              busy.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      for (int i = 0; i < 5; i++) {
        executor.execute(new Pass("first-" + i, PassKind.FIRST, ran));
      }
      executor.execute(new Pass("follow-up", PassKind.FOLLOW_UP, ran));
      busy.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 6);
      return ran;
    } finally {
      busy.countDown();
      executor.shutdownNow();
    }
  }

  @Test
  void rolloutsFirst_aFollowUpQueuedAfterAWaveOfFirstPasses_runsBeforeThem_andEachKindIsCounted() {
    assertThat(runAWaveThenAFollowUp(true))
        .containsExactly("follow-up", "first-0", "first-1", "first-2", "first-3", "first-4");
    assertThat(registry.get("phala.passes.queued").tag("kind", "follow-up").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("phala.passes.queued").tag("kind", "first").counter().count())
        .isEqualTo(5);
    assertThat(registry.get("phala.passes.queued").tag("kind", "unknown").counter().count())
        .as("the task keeping the thread busy")
        .isEqualTo(1);
  }

  @Test
  void inArrivalOrder_theDefault_passesRunAsQueued_asWithJosdksOwnExecutor() {
    assertThat(runAWaveThenAFollowUp(false))
        .containsExactly("first-0", "first-1", "first-2", "first-3", "first-4", "follow-up");
  }
}
