package cloud.phala.operator.app.sim;

import cloud.phala.operator.app.status.EventRecorder;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.cloud.World;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one history: the operator's control loop on a seeded, single-threaded scheduler in virtual
 * time. A pass runs when the reconciler would run it: at once after a spec or Secret change,
 * otherwise after the progress or steady poll the last pass asked for, after JOSDK's retry delay
 * when a pass failed, or when a restarted or newly elected instance starts. History steps fall
 * between passes; faults fire inside them. Invariants are checked after every step and pass.
 *
 * <p>After the last step the loop runs on for {@code SETTLE} as it did (faults still armed). Then
 * comes a quiet tail with no faults, crashes or lost writes: the user resumes a paused rollout,
 * restores a missing Secret key, and whenever a rollout halts on a failure changes one Secret value
 * (as a user answers a halted rollout: a failed revision is never retried on its own, by design); a
 * boot that hangs never ends in the simulator, so CVMs still booting a minute into the tail are
 * deleted, as Phala Cloud support would. Then the history must converge within {@value
 * #TAIL_PASSES} passes.
 */
final class ControlLoop {
  static final int TAIL_PASSES = 40;
  static final int MAX_PASSES = 600;
  private static final Duration RESTART = Duration.ofSeconds(10);
  private static final Duration LEASE_HANDOVER = Duration.ofSeconds(15);
  private static final Duration RETRY = Duration.ofSeconds(2);
  private static final Duration SETTLE = Duration.ofMinutes(2);

  private final History history;
  private final SimulatedCloud cloud;
  private final World world;
  private final UserCluster cluster;
  private final StatusStore store = new StatusStore();
  private final JournalStore journal;
  private final CrashPlan crashes = new CrashPlan();
  private final OperatorInstance.OperatorState kept;
  private final Invariants invariants;
  private final List<String> printed = new ArrayList<>();
  private final EventRecorder.Sink events;
  private final OperatorInstance[] instances = new OperatorInstance[2];
  private int leader;
  private Instant nextPass;
  private Instant upAt;
  private int passes;
  private int stepsApplied;
  private long trace = 17;

  private ControlLoop(History history, boolean journal) {
    this.history = history;
    this.journal = journal ? new JournalStore() : null;
    this.cloud = new SimulatedCloud(history.seed());
    this.world = cloud.simulator().world();
    this.cluster = new UserCluster(history.seed());
    this.kept = OperatorInstance.OperatorState.fresh(history.seed());
    this.invariants = new Invariants(world, cloud.others(), cluster, store);
    if (this.journal != null) {
      var app = cluster.app(null).getMetadata();
      invariants.throughJournal(
          this.journal,
          new cloud.phala.operator.app.journal.JournalKey(
              app.getNamespace(), app.getName(), app.getUid()));
    }
    this.events = (app, type, reason, message) -> printed.add(type + " " + reason + ": " + message);
    instances[0] = freshInstance();
    instances[1] = freshInstance();
    this.nextPass = now();
    this.upAt = now();
  }

  static Verdict run(History history) {
    return run(history, false);
  }

  /** {@code journal}: the operator writes the intents of updates to an intent journal. */
  static Verdict run(History history, boolean journal) {
    ControlLoop loop = new ControlLoop(history, journal);
    try (SimulatedCloud ignored = loop.cloud) {
      return loop.run();
    }
  }

  /** What the operator emitted as Events, for scanning for secret values. */
  static List<String> eventsOf(History history) {
    ControlLoop loop = new ControlLoop(history, false);
    try (SimulatedCloud ignored = loop.cloud) {
      loop.run();
      return loop.printed;
    }
  }

  private Verdict run() {
    try {
      invariants.userChanged();
      Instant nextStep =
          history.steps().isEmpty() ? null : now().plus(history.steps().get(0).after());
      while (stepsApplied < history.steps().size()) {
        if (!nextStep.isAfter(nextPass)) {
          advanceTo(nextStep);
          apply(history.steps().get(stepsApplied++));
          if (stepsApplied < history.steps().size()) {
            nextStep = now().plus(history.steps().get(stepsApplied).after());
          }
        } else {
          advanceTo(nextPass);
          pass();
        }
      }
      Instant settled = now().plus(SETTLE);
      while (nextPass.isBefore(settled)) {
        advanceTo(nextPass);
        pass();
      }
      quietTail();
      return verdict(null);
    } catch (Violation v) {
      if (Boolean.getBoolean("dst.debug")) {
        System.out.println(StateDump.of(cloud.others().ours(), store.peek()));
      }
      return verdict(v.getMessage());
    }
  }

  private void quietTail() {
    cloud.simulator().faults().clear();
    crashes.disarm();
    store.neverLose();
    advanceTo(now().plus(Duration.ofMinutes(1)));
    for (CvmSnapshot cvm : cloud.others().ours()) {
      if (cvm.inProgress()) {
        world.delete(cvm.hashedId());
      }
    }
    invariants.harnessChangedCvms();
    cluster.shape(cluster.shape().resumed());
    if (cluster.pinned()) {
      cluster.dayTwo(Step.DayTwo.Kind.PIN, now(), 0);
      invariants.dayTwo(Step.DayTwo.Kind.PIN);
    }
    if (cluster.desiredEnv().isEmpty()) {
      cluster.secretKey(UserCluster.DB, "url", 1_000_000);
    }
    invariants.userChanged();
    trigger();
    String answered = null;
    for (int i = 0; i < TAIL_PASSES; i++) {
      advanceTo(nextPass);
      pass();
      if (invariants.unconverged().isEmpty()) {
        return;
      }
      PhalaAppStatus status = store.peek();
      String failed =
          status == null || status.rollout == null ? null : status.rollout.failedRevision;
      if (failed != null && !failed.equals(answered) && failed.equals(status.envRevision)) {
        answered = failed;
        cluster.secretKey(UserCluster.KEYS, "TOKEN", 1_000_000 + i);
        invariants.userChanged();
        trigger();
      }
    }
    throw new Violation(
        "did not converge within "
            + TAIL_PASSES
            + " passes of a quiet tail: "
            + invariants.unconverged().orElseThrow());
  }

  private void apply(Step step) {
    trace = trace * 31 + step.hashCode();
    if (step instanceof Step.ChangeSpec s) {
      cluster.shape(s.shape());
      invariants.userChanged();
      trigger();
    } else if (step instanceof Step.ChangeSecret s) {
      cluster.secretKey(s.secret(), s.key(), s.version());
      invariants.userChanged();
      trigger();
    } else if (step instanceof Step.Fault f) {
      cloud.simulator().faults().add(f.rule());
    } else if (step instanceof Step.Crash c) {
      crashes.arm(c.point(), c.nth());
    } else if (step instanceof Step.LoseStatusWrite l) {
      store.loseWrite(l.nth());
    } else if (step instanceof Step.OtherApp o) {
      cloud.others().make(o.count());
    } else if (step instanceof Step.ListingShift l) {
      cloud.others().shiftNextListing(l.delete());
    } else if (step instanceof Step.DayTwo d) {
      cluster.dayTwo(d.kind(), now(), d.pin());
      invariants.dayTwo(d.kind());
      trigger();
    } else if (step instanceof Step.LeaderChange) {
      leader = 1 - leader;
      upAt = now().plus(LEASE_HANDOVER);
      nextPass = upAt;
    }
    invariants.betweenPasses();
  }

  private void pass() {
    if (++passes > MAX_PASSES) {
      throw new Violation("more than " + MAX_PASSES + " passes: the loop never rests");
    }
    Invariants.PassStart start = invariants.passStarts();
    try {
      OperatorInstance.PassReport report = instances[leader].pass();
      nextPass = now().plus(report.nextPoll());
      trace = trace * 31 + (report.result().converging() ? 1 : 2);
      invariants.passEnded(start, report.result().status());
    } catch (CrashPlan.OperatorCrash crash) {
      instances[leader] = freshInstance();
      upAt = now().plus(RESTART);
      nextPass = upAt;
      trace = trace * 31 + 3;
      invariants.passEnded(start, null);
    } catch (StatusStore.LostWrite lost) {
      nextPass = now().plus(RETRY);
      trace = trace * 31 + 4;
      invariants.passEnded(start, null);
    } catch (Violation v) {
      throw v;
    } catch (RuntimeException e) {
      throw new Violation(
          "a pass failed with " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** A watched object changed: the reconciler runs a pass as soon as the leader is up. */
  private void trigger() {
    Instant soon = now().isBefore(upAt) ? upAt : now();
    if (soon.isBefore(nextPass)) {
      nextPass = soon;
    }
  }

  private void advanceTo(Instant when) {
    Duration gap = Duration.between(now(), when);
    if (!gap.isNegative() && !gap.isZero()) {
      cloud.time().advance(gap);
    }
    invariants.betweenPasses();
  }

  private Instant now() {
    return cloud.time().now();
  }

  private OperatorInstance freshInstance() {
    return new OperatorInstance(cloud, cluster, store, kept, crashes, events, journal);
  }

  private Verdict verdict(String violation) {
    long requests = 0;
    for (var entry : cloud.simulator().requestLog().entries()) {
      requests++;
      trace = trace * 31 + (entry.method() + entry.path() + entry.status()).hashCode();
    }
    return new Verdict(
        violation, stepsApplied, passes, invariants.envsGiven(), requests, Long.toHexString(trace));
  }
}
