package cloud.phala.operator.app.pace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PassTicketTest {
  /** Queued follow-ups may be passed by this many queued first passes: none. */
  private static final int K = 0;

  @Test
  void aFollowUpQueuedBehindAWaveOfAThousandFirstPasses_runsNext() {
    PriorityQueue<PassTicket> queue = new PriorityQueue<>();
    for (int i = 0; i < 1000; i++) {
      queue.add(new PassTicket(false, i));
    }
    queue.add(new PassTicket(true, 1000));

    assertThat(queue.poll()).isEqualTo(new PassTicket(true, 1000));
    assertThat(queue.poll()).as("then the wave, oldest first").isEqualTo(new PassTicket(false, 0));
  }

  @Test
  void
      onGeneratedArrivalOrders_aFollowUpNeverWaitsBehindMoreThanKFirstPasses_kindsKeepTheirOrder() {
    for (long seed = 0; seed < 500; seed++) {
      Random random = new Random(seed);
      int threads = 1 + random.nextInt(8);
      List<Long> startsAtArrival = new ArrayList<>();
      List<PassTicket> started = run(random, threads, new PriorityQueue<>(), startsAtArrival);

      assertThat(worstWait(started, startsAtArrival))
          .as("seed %d: first passes started while a follow-up was queued", seed)
          .isLessThanOrEqualTo(K);
      for (boolean kind : new boolean[] {true, false}) {
        assertThat(started.stream().filter(p -> p.followUp() == kind).toList())
            .as("seed %d: passes of one kind start in arrival order", seed)
            .isSortedAccordingTo(Comparator.comparingLong(PassTicket::arrival));
      }
    }
  }

  @Test
  void inArrivalOrder_asJosdksOwnQueue_aFollowUpWaitsBehindTheWholeWave() {
    Random random = new Random(7);
    PriorityQueue<PassTicket> fifo =
        new PriorityQueue<>(Comparator.comparingLong(PassTicket::arrival));
    List<Long> startsAtArrival = new ArrayList<>();
    List<PassTicket> started = run(random, 2, fifo, startsAtArrival);

    assertThat(worstWait(started, startsAtArrival))
        .as("the property above is not trivially true")
        .isGreaterThan(10);
  }

  /** The most first passes that started while a follow-up was queued. */
  private static long worstWait(List<PassTicket> started, List<Long> startsAtArrival) {
    long worst = 0;
    for (int i = 0; i < started.size(); i++) {
      PassTicket pass = started.get(i);
      if (pass.followUp()) {
        long queuedAt = startsAtArrival.get((int) pass.arrival());
        worst =
            Math.max(
                worst,
                started.subList((int) queuedAt, i).stream().filter(p -> !p.followUp()).count());
      }
    }
    return worst;
  }

  /**
   * A pool of {@code threads} taking tickets from {@code queue}: waves of first passes arrive at
   * random moments, each finished first pass of a running rollout is requeued as a follow-up, and
   * passes finish in random order. Returns the passes in the order they started; {@code
   * startsAtArrival} gets, for each arrival, how many passes had started when it was queued.
   */
  private static List<PassTicket> run(
      Random random, int threads, PriorityQueue<PassTicket> queue, List<Long> startsAtArrival) {
    List<PassTicket> running = new ArrayList<>();
    List<PassTicket> started = new ArrayList<>();
    long arrivals = 0;
    for (int step = 0; step < 400; step++) {
      int what = random.nextInt(10);
      if (what == 0) {
        int wave = 1 + random.nextInt(60);
        for (int i = 0; i < wave; i++) {
          startsAtArrival.add((long) started.size());
          queue.add(new PassTicket(false, arrivals++));
        }
      } else if (what < 8 && !running.isEmpty()) {
        running.remove(random.nextInt(running.size()));
        if (random.nextInt(3) > 0) {
          startsAtArrival.add((long) started.size());
          queue.add(new PassTicket(true, arrivals++));
        }
      }
      while (running.size() < threads && !queue.isEmpty()) {
        PassTicket next = queue.poll();
        running.add(next);
        started.add(next);
      }
    }
    return started;
  }
}
