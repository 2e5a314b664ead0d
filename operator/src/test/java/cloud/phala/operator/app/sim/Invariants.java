package cloud.phala.operator.app.sim;

import cloud.phala.operator.app.plan.RolloutSettings;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.cloud.World;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The invariants, checked from the simulator's own records (availability timeline, what each CVM
 * was given and booted) and the status store, after every step of a history:
 *
 * <ul>
 *   <li>floor: while a pass acts, serving never drops below {@code min(serving when the pass began,
 *       replicas - maxUnavailable)} of the spec that pass read (0 under Recreate, which allows
 *       downtime); between passes serving never drops at all (nothing but the operator takes a CVM
 *       down);
 *   <li>surge: while a pass acts, the CVMs (of every app the history made) never grow above {@code
 *       max(CVMs when the pass began, replicas + maxSurge)} of the spec that pass read: so after a
 *       spec lowers replicas, the excess may stay until removed, but nothing is added; between
 *       passes the count never changes;
 *   <li>({@link GivenEnvs}) nothing partial sealed, no CVM given one revision twice;
 *   <li>up to date means up to date: a CVM the stored status shows on its desired revision, with no
 *       intent, that serves, booted exactly that revision's env (keys and values) and compose;
 *   <li>settled status tells the truth: when the stored status records no intent and no CVM is
 *       busy, every CVM is in status, on the revision status shows for it;
 *   <li>convergence (asked at the end): Ready, {@code replicas} CVMs all serving the desired env.
 * </ul>
 *
 * A revision name (an HMAC) is tied to the env it stands for by the first pass that resolved the
 * sources to it; two envs under one name is itself a violation.
 */
final class Invariants {
  /** What a pass began with. */
  record PassStart(AvailabilityWatch.Level level, SpecShape shape) {}

  private final World world;
  private final OtherApps others;
  private final UserCluster cluster;
  private final StatusStore store;

  /**
   * The status as a pass would see it: with the intent journal's entry over it, if there is one.
   */
  private java.util.function.UnaryOperator<PhalaAppStatus> view = s -> s;

  private final AvailabilityWatch availability;
  private final GivenEnvs given;
  private final BatchWatch batch;
  private final Map<String, Fingerprint> revisions = new HashMap<>();
  private Optional<Fingerprint> desired = Optional.empty();

  Invariants(World world, OtherApps others, UserCluster cluster, StatusStore store) {
    this.world = world;
    this.others = others;
    this.cluster = cluster;
    this.store = store;
    this.availability = new AvailabilityWatch(world, others);
    this.batch = new BatchWatch(cluster.pacing().window());
    this.given = new GivenEnvs(world, others, batch);
  }

  /** The user changed something: what the history asks for now. */
  void userChanged() {
    betweenPasses();
    Optional<Fingerprint> now =
        cluster
            .desiredEnv()
            .map(
                env ->
                    new Fingerprint(
                        env, cluster.shape().compose(), cluster.shape().preLaunchScript()));
    now.ifPresent(f -> given.desired(f.env()));
    if (now.isPresent() && !now.equals(desired)) {
      given.newEpoch();
      batch.desired(now.get(), world.time().clock().instant(), desired.isEmpty());
    }
    if (now.isPresent()) {
      desired = now;
    }
  }

  /**
   * The user asked for a restart, a retry, a pin or its removal: a restart may give a CVM its same
   * revision again, a retry may give a failed revision again, and a pin (or its removal) moves CVMs
   * back to what they ran before; each is allowed once more.
   */
  void dayTwo(Step.DayTwo.Kind kind) {
    betweenPasses();
    given.newEpoch();
    if (kind == Step.DayTwo.Kind.RETRY) {
      given.retried();
    }
  }

  /** Between passes: nothing but the operator takes a CVM down, adds or removes one. */
  void betweenPasses() {
    AvailabilityWatch.Level before = availability.now();
    for (AvailabilityWatch.Level level : availability.since()) {
      if (level.serving() < before.serving() || level.total() != before.total()) {
        throw new Violation(
            "between passes, CVMs went from "
                + before.serving()
                + " serving of "
                + before.total()
                + " to "
                + level.serving()
                + " of "
                + level.total());
      }
      before = level;
    }
    given.catchUp(statusAppId());
  }

  /** The harness itself removed CVMs (see {@code ControlLoop}): not the operator's doing. */
  void harnessChangedCvms() {
    availability.since();
    given.catchUp(statusAppId());
  }

  PassStart passStarts() {
    betweenPasses();
    return new PassStart(availability.now(), cluster.shape());
  }

  /** After a pass, whether it finished, crashed or lost a write. */
  void passEnded(PassStart start, PhalaAppStatus result) {
    RolloutSettings limits = start.shape().settings();
    int replicas = start.shape().replicas();
    int floor =
        limits.recreate()
            ? 0
            : Math.min(start.level().serving(), Math.max(0, replicas - limits.maxUnavailable()));
    long ceiling =
        Math.max(
            start.level().total(), (long) replicas + (limits.recreate() ? 0 : limits.maxSurge()));
    for (AvailabilityWatch.Level level : availability.since()) {
      if (level.serving() < floor) {
        throw new Violation(
            "serving fell to "
                + level.serving()
                + ", below the floor "
                + floor
                + " (serving "
                + start.level().serving()
                + " when the pass began; spec "
                + start.shape()
                + ")");
      }
      if (level.total() > ceiling) {
        throw new Violation(
            "CVMs grew to "
                + level.total()
                + ", above "
                + ceiling
                + " (CVMs "
                + start.level().total()
                + " when the pass began; spec "
                + start.shape()
                + ")");
      }
    }
    given.catchUp(statusAppId());
    if (result != null) {
      learnRevision(result);
    }
    upToDateMeansUpToDate();
    settledStatusTellsTheTruth();
  }

  /** The intents a pass sees are also in {@code journal}'s entry for {@code key}. */
  void throughJournal(JournalStore journal, cloud.phala.operator.app.journal.JournalKey key) {
    view = s -> cloud.phala.operator.app.journal.JournalOverlay.overlay(s, journal.entry(key));
  }

  /** Why the history has not converged, or empty when it has. */
  Optional<String> unconverged() {
    PhalaAppStatus status = store.peek();
    if (status == null || desired.isEmpty()) {
      return Optional.of("no status yet");
    }
    if (!conditionTrue(status, "Ready")) {
      String reason =
          status.conditions == null
              ? null
              : status.conditions.stream()
                  .filter(c -> "Ready".equals(c.getType()))
                  .map(c -> c.getReason())
                  .findFirst()
                  .orElse(null);
      return Optional.of(
          "not Ready (phase "
              + status.phase
              + ", ready "
              + status.ready
              + ", up-to-date "
              + status.updatedReplicas
              + ", reason "
              + reason
              + ")");
    }
    Fingerprint want = desired.get();
    if (!want.equals(revisions.get(status.envRevision))) {
      return Optional.of("status shows revision " + status.envRevision + ", not the desired env");
    }
    List<CvmSnapshot> cvms = others.ours();
    if (cvms.size() != cluster.shape().replicas()) {
      return Optional.of(cvms.size() + " CVMs, not " + cluster.shape().replicas());
    }
    Map<String, PhalaAppStatus.CvmStatus> shown = byVmUuid(status);
    for (CvmSnapshot cvm : cvms) {
      if (!serving(cvm) || !want.equals(booted(cvm))) {
        return Optional.of("CVM " + cvm.vmUuid() + " does not serve the desired env");
      }
      PhalaAppStatus.CvmStatus entry = shown.get(cvm.vmUuid().toString());
      if (entry == null || !status.envRevision.equals(entry.envRevision)) {
        return Optional.of("status does not show CVM " + cvm.vmUuid() + " on the desired revision");
      }
    }
    return Optional.empty();
  }

  int envsGiven() {
    return given.count();
  }

  private void learnRevision(PhalaAppStatus result) {
    if (result.envRevision == null
        || !conditionTrue(result, "SecretsResolved")
        || cluster.pinned()) {
      // a pinned revision is one an earlier pass learned from the inputs, not the inputs now
      return;
    }
    Fingerprint now =
        new Fingerprint(
            cluster.desiredEnv().orElseThrow(),
            cluster.shape().compose(),
            cluster.shape().preLaunchScript());
    Fingerprint known = revisions.putIfAbsent(result.envRevision, now);
    if (known != null && !known.equals(now)) {
      throw new Violation(
          "revision " + result.envRevision + " names two envs: " + known + " and " + now);
    }
  }

  private void upToDateMeansUpToDate() {
    PhalaAppStatus status = view.apply(store.peek());
    if (status == null || status.envRevision == null || status.cvms == null) {
      return;
    }
    Fingerprint want = revisions.get(status.envRevision);
    if (want == null) {
      return;
    }
    for (PhalaAppStatus.CvmStatus entry : status.cvms) {
      if (entry.intent != null || !status.envRevision.equals(entry.envRevision)) {
        continue;
      }
      Optional<CvmSnapshot> cvm = find(entry.cvmId);
      if (cvm.isPresent() && serving(cvm.get()) && !want.equals(booted(cvm.get()))) {
        throw new Violation(
            "status shows CVM "
                + entry.cvmId
                + " up to date, but it booted "
                + booted(cvm.get())
                + ", not "
                + want);
      }
    }
  }

  private void settledStatusTellsTheTruth() {
    PhalaAppStatus status = view.apply(store.peek());
    if (status == null || status.appId == null || hasIntent(status)) {
      return;
    }
    List<CvmSnapshot> cvms = others.ours();
    if (cvms.stream().anyMatch(CvmSnapshot::inProgress)) {
      return;
    }
    Map<String, PhalaAppStatus.CvmStatus> shown = byVmUuid(status);
    for (CvmSnapshot cvm : cvms) {
      PhalaAppStatus.CvmStatus entry = shown.get(cvm.vmUuid().toString());
      if (entry == null) {
        throw new Violation(
            "status records no intent, yet does not show CVM "
                + cvm.vmUuid()
                + " of app "
                + cvm.appId());
      }
      Fingerprint shownAs = entry.envRevision == null ? null : revisions.get(entry.envRevision);
      Fingerprint last = given.lastGivenTo(cvm.vmUuid().toString());
      if (shownAs != null && last != null && !shownAs.equals(last)) {
        throw new Violation(
            "status shows CVM "
                + cvm.vmUuid()
                + " on revision "
                + entry.envRevision
                + " ("
                + shownAs
                + "), but it was last given "
                + last);
      }
    }
  }

  private Map<String, PhalaAppStatus.CvmStatus> byVmUuid(PhalaAppStatus status) {
    Map<String, PhalaAppStatus.CvmStatus> out = new HashMap<>();
    if (status.cvms != null) {
      for (PhalaAppStatus.CvmStatus entry : status.cvms) {
        find(entry.cvmId).ifPresent(c -> out.put(c.vmUuid().toString(), entry));
      }
    }
    return out;
  }

  private Optional<CvmSnapshot> find(String cvmId) {
    try {
      return Optional.of(world.get(cvmId));
    } catch (RuntimeException gone) {
      return Optional.empty();
    }
  }

  private static boolean hasIntent(PhalaAppStatus status) {
    return (status.rollout != null && status.rollout.pendingReplicas != null)
        || (status.cvms != null && status.cvms.stream().anyMatch(c -> c.intent != null));
  }

  private static boolean serving(CvmSnapshot cvm) {
    return "running".equals(cvm.status()) && !cvm.inProgress();
  }

  private static Fingerprint booted(CvmSnapshot cvm) {
    Map<String, String> env = new TreeMap<>();
    cvm.bootedEnv().forEach(v -> env.put(v.key(), v.value()));
    return new Fingerprint(env, cvm.compose().dockerComposeFile(), cvm.compose().preLaunchScript());
  }

  private static boolean conditionTrue(PhalaAppStatus status, String type) {
    return status.conditions != null
        && status.conditions.stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private String statusAppId() {
    PhalaAppStatus status = store.peek();
    return status == null ? null : status.appId;
  }
}
