package cloud.phala.operator.app.pace;

import java.util.Comparator;

/**
 * A queued pass's place in line: the follow-up pass of a running rollout goes before every first
 * pass, and passes of one kind run in arrival order. So a follow-up never waits behind a queued
 * first pass, only behind the passes already running when it arrived (at most the reconcile
 * threads), however large the wave of first passes a shared Secret's change queued.
 */
record PassTicket(boolean followUp, long arrival) implements Comparable<PassTicket> {
  private static final Comparator<PassTicket> ORDER =
      Comparator.comparing((PassTicket t) -> !t.followUp).thenComparingLong(PassTicket::arrival);

  @Override
  public int compareTo(PassTicket other) {
    return ORDER.compare(this, other);
  }
}
