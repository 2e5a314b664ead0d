package cloud.phala.operator.app.sim;

import cloud.phala.operator.app.sync.PassHook;
import cloud.phala.operator.simulator.hooks.FaultRule;
import java.time.Duration;

/**
 * One event of a history, {@code after} the one before it. What each prints names keys, versions
 * and kinds, never a value.
 */
sealed interface Step {
  Duration after();

  /** The user edits the spec. */
  record ChangeSpec(Duration after, SpecShape shape) implements Step {
    @Override
    public String toString() {
      return "+" + after.toSeconds() + "s spec " + shape;
    }
  }

  /** The user sets a Secret key to its {@code version}th value, or removes it (negative). */
  record ChangeSecret(Duration after, String secret, String key, int version) implements Step {
    @Override
    public String toString() {
      return "+"
          + after.toSeconds()
          + "s secret "
          + secret
          + "/"
          + key
          + (version < 0 ? " removed" : " = value #" + version);
    }
  }

  /**
   * Phala Cloud misbehaves: {@code count} times, each matching request (or boot) at {@code rate}.
   */
  record Fault(
      Duration after,
      FaultRule.Kind kind,
      String method,
      int count,
      double rate,
      int status,
      Duration delay)
      implements Step {
    FaultRule rule() {
      return new FaultRule(null, kind, method, null, null, rate, count, status, delay);
    }

    @Override
    public String toString() {
      return "+"
          + after.toSeconds()
          + "s fault "
          + kind
          + (method == null ? "" : " on " + method)
          + " x"
          + count
          + " rate "
          + rate
          + (status == 0 ? "" : " status " + status)
          + (delay.isZero() ? "" : " delay " + delay.toMillis() + "ms");
    }
  }

  /** The operator process dies the {@code nth} time a pass reaches {@code point}. */
  record Crash(Duration after, PassHook.Point point, int nth) implements Step {
    @Override
    public String toString() {
      return "+" + after.toSeconds() + "s crash at " + point + " #" + nth;
    }
  }

  /** The {@code nth} status write from now on is lost. */
  record LoseStatusWrite(Duration after, int nth) implements Step {
    @Override
    public String toString() {
      return "+" + after.toSeconds() + "s lose status write #" + nth;
    }
  }

  /**
   * Another app of the account, not the operator's, gets {@code count} CVMs (made in the simulator
   * directly): enough of them fill the account past one listing page.
   */
  record OtherApp(Duration after, int count) implements Step {
    @Override
    public String toString() {
      return "+" + after.toSeconds() + "s another app gets " + count + " CVMs";
    }
  }

  /**
   * The next listing read past its first page finds the account changed since the page before: a
   * CVM of another app deleted from an earlier page ({@code delete}, which shifts the later pages
   * up by one) or one more made.
   */
  record ListingShift(Duration after, boolean delete) implements Step {
    @Override
    public String toString() {
      return "+"
          + after.toSeconds()
          + "s the next listing's later page is read after another app's CVM "
          + (delete ? "is deleted" : "is made");
    }
  }

  /** The other operator instance takes the lease, with whatever its caches held. */
  record LeaderChange(Duration after) implements Step {
    @Override
    public String toString() {
      return "+" + after.toSeconds() + "s leader change";
    }
  }

  /**
   * A day-two request (issue 17): a restart (spec.restartAt = now), a retry of a failed rollout
   * (spec.rollout.retryAt = now), a pin of history entry {@code pin} (spec.rollout.pinnedRevision),
   * or removing the pin ({@code pin} 0).
   */
  record DayTwo(Duration after, Kind kind, int pin) implements Step {
    enum Kind {
      RESTART,
      RETRY,
      PIN
    }

    @Override
    public String toString() {
      return "+"
          + after.toSeconds()
          + "s "
          + switch (kind) {
            case RESTART -> "rollout restart";
            case RETRY -> "rollout retry";
            case PIN -> pin == 0 ? "unpin" : "pin revision " + pin;
          };
    }
  }
}
