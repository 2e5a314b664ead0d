package cloud.phala.operator.app.sim;

import cloud.phala.operator.app.sync.PassHook;
import cloud.phala.operator.simulator.hooks.FaultRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates a history from a seed: spec changes (replicas up and down, maxUnavailable and maxSurge
 * as counts and percentages, strategy, pause and resume, onFailure, readyTimeout, compose,
 * pre-launch script), Secret changes that add, remove and change keys, bursts of them mid-rollout,
 * Phala Cloud faults, operator crashes at any pass point, lost status writes and leader changes; on
 * request, day-two requests (restart, retry, pin and unpin); and the account's other apps: a crowd
 * of their CVMs made before the operator's first pass (so the operator's CVMs sit around or past
 * the first listing page of 100), more of them later, and their CVMs deleted or made between two
 * page reads of a listing.
 *
 * <p>The steps drawn before the pre-launch script and the other apps were added come from the
 * seed's own stream, unchanged; the added ones from a second stream, put before some of them. So a
 * seed that draws none of the added steps generates the history it always did.
 */
final class HistoryGenerator {
  private static final String[] LIMITS = {"0", "1", "1", "2", "25%", "50%"};
  private static final String[] KEYS = {"TOKEN", "SIGNING_KEY", "WEBHOOK", "REGION"};

  private HistoryGenerator() {}

  static History generate(long seed) {
    return generate(seed, false);
  }

  /**
   * {@code dayTwo}: also restarts, retries, pins and unpins, drawn from a third stream (so the
   * histories without them, and the replays of their seeds, stay as they were).
   */
  static History generate(long seed, boolean dayTwoRequests) {
    Random random = new Random(seed);
    Random added = new Random(seed * 0x9E3779B97F4A7C15L + 0x0DDBA11L);
    Random dayTwo = new Random(seed * 0xC2B2AE3D27D4EB4FL + 0x17L);
    int count = 4 + random.nextInt(9);
    List<Step> steps = new ArrayList<>();
    SpecShape shape = SpecShape.INITIAL;
    int version = 1;
    boolean burst = false;
    boolean crowded = added.nextInt(6) == 0;
    if (crowded) {
      // made before the first pass: the operator's first CVMs come right after them
      steps.add(new Step.OtherApp(Duration.ZERO, 96 + added.nextInt(8)));
    }
    for (int i = 0; i < count; i++) {
      if (dayTwoRequests && dayTwo.nextInt(4) == 0) {
        steps.add(dayTwo(dayTwo));
      }
      if (added.nextInt(12) == 0) {
        Duration after = Duration.ofSeconds(1 + added.nextInt(added.nextBoolean() ? 10 : 90));
        int kind = added.nextInt(10);
        if (kind < 4 || !crowded) {
          shape = shape.withScript((shape.script() + 1 + added.nextInt(2)) % 3);
          steps.add(new Step.ChangeSpec(after, shape));
        } else if (kind < 6) {
          steps.add(new Step.OtherApp(after, 1 + added.nextInt(3)));
        } else {
          steps.add(new Step.ListingShift(after, added.nextInt(4) > 0));
        }
      }
      burst = burst ? random.nextInt(3) > 0 : random.nextInt(4) == 0;
      Duration after =
          burst
              ? Duration.ofSeconds(random.nextInt(3))
              : Duration.ofSeconds(1 + random.nextInt(random.nextBoolean() ? 10 : 90));
      int kind = random.nextInt(100);
      if (kind < 25) {
        shape = nextShape(random, shape);
        steps.add(new Step.ChangeSpec(after, shape));
      } else if (kind < 50) {
        steps.add(secretChange(random, after, version++));
      } else if (kind < 78) {
        steps.add(fault(random, after));
      } else if (kind < 88) {
        PassHook.Point[] points = PassHook.Point.values();
        steps.add(
            new Step.Crash(after, points[random.nextInt(points.length)], 1 + random.nextInt(3)));
      } else if (kind < 94) {
        steps.add(new Step.LoseStatusWrite(after, 1 + random.nextInt(3)));
      } else {
        steps.add(new Step.LeaderChange(after));
      }
    }
    return new History(seed, steps);
  }

  /** Restart, retry, pin (of a revision 1 to 3, maybe one history lacks) or unpin. */
  private static Step dayTwo(Random random) {
    Duration after = Duration.ofSeconds(1 + random.nextInt(random.nextBoolean() ? 10 : 90));
    int kind = random.nextInt(4);
    return switch (kind) {
      case 0 -> new Step.DayTwo(after, Step.DayTwo.Kind.RESTART, 0);
      case 1 -> new Step.DayTwo(after, Step.DayTwo.Kind.RETRY, 0);
      case 2 -> new Step.DayTwo(after, Step.DayTwo.Kind.PIN, 1 + random.nextInt(3));
      default -> new Step.DayTwo(after, Step.DayTwo.Kind.PIN, 0);
    };
  }

  private static SpecShape nextShape(Random random, SpecShape from) {
    int replicas = from.replicas();
    String unavailable = from.maxUnavailable();
    String surge = from.maxSurge();
    boolean recreate = from.recreate();
    boolean paused = from.paused();
    boolean rollback = from.rollback();
    String timeout = from.readyTimeout();
    int compose = from.composeVariant();
    int changes = 1 + random.nextInt(2);
    for (int i = 0; i < changes; i++) {
      switch (random.nextInt(9)) {
        case 0, 1 -> replicas = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(5);
        case 2 -> unavailable = LIMITS[random.nextInt(LIMITS.length)];
        case 3 -> surge = LIMITS[random.nextInt(LIMITS.length)];
        case 4 -> recreate = random.nextInt(5) == 0;
        case 5 -> paused = !paused;
        case 6 -> rollback = !rollback;
        case 7 -> timeout = random.nextBoolean() ? null : "30s";
        default -> compose = 1 - compose;
      }
    }
    return new SpecShape(
        replicas, unavailable, surge, recreate, paused, rollback, timeout, compose, from.script());
  }

  private static Step secretChange(Random random, Duration after, int version) {
    int which = random.nextInt(10);
    if (which == 0) {
      // DATABASE_URL's key goes missing (then a partial env must not be deployed), or comes back
      return new Step.ChangeSecret(
          after, UserCluster.DB, "url", random.nextBoolean() ? -1 : version);
    }
    if (which < 4) {
      return new Step.ChangeSecret(after, UserCluster.DB, "url", version);
    }
    String key = KEYS[random.nextInt(KEYS.length)];
    return new Step.ChangeSecret(
        after, UserCluster.KEYS, key, random.nextInt(4) == 0 ? -1 : version);
  }

  private static Step fault(Random random, Duration after) {
    // Attestation and TCB faults touch no call the operator makes without spec.attestation;
    // leaving them out keeps the seeds' histories as they were.
    FaultRule.Kind[] kinds =
        java.util.Arrays.stream(FaultRule.Kind.values())
            .filter(k -> !k.name().startsWith("ATTESTATION_") && !k.name().startsWith("TCB_"))
            .toArray(FaultRule.Kind[]::new);
    FaultRule.Kind kind = kinds[random.nextInt(kinds.length)];
    int count = 1 + random.nextInt(3);
    double rate = random.nextBoolean() ? 1.0 : 0.5;
    String method = null;
    int status = 0;
    Duration delay = Duration.ZERO;
    switch (kind) {
      case ERROR -> status = random.nextBoolean() ? 500 : 503;
      case RATE_LIMIT -> delay = Duration.ofSeconds(1 + random.nextInt(5));
      case LATENCY -> delay = Duration.ofMillis(100 + random.nextInt(5000));
      case LOSE_RESPONSE, ERROR_AFTER_APPLY -> {
        method = random.nextBoolean() ? null : (random.nextBoolean() ? "PATCH" : "POST");
        status = kind == FaultRule.Kind.ERROR_AFTER_APPLY ? (random.nextBoolean() ? 502 : 504) : 0;
      }
      case BOOT_FAIL, BOOT_HANG, BAD_KMS_SIGNATURE -> count = 1;
      default -> {}
    }
    return new Step.Fault(after, kind, method, count, rate, status, delay);
  }
}
