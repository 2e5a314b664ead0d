package cloud.phala.operator.app.sim;

import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.simulator.hooks.FaultRule;
import cloud.phala.operator.simulator.http.RequestLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One PhalaApp driven into a state by hand (no generated history, no faults but those asked for),
 * then left alone: the passes the reconciler runs at rest, with what each asks of Phala Cloud and
 * writes to Kubernetes counted.
 */
final class AtRestLoop implements AutoCloseable {
  private static final int MAX_PASSES = 200;
  private static final Pattern ID = Pattern.compile("[^/]*[0-9][^/]{6,}");

  /** What steady passes sent: requests by method and path (ids as {id}), and writes. */
  record Counts(Map<String, Integer> requests, int statusWrites, int recordWrites, int events) {}

  final UserCluster cluster;
  final StatusStore store = new StatusStore();
  final GivenAdoptionGrants grants = new GivenAdoptionGrants();
  final InMemoryAppRecords records = new InMemoryAppRecords();
  private final SimulatedCloud cloud;
  private final OperatorInstance instance;
  private final List<String> events = new ArrayList<>();
  private Instant nextPass;

  AtRestLoop(long seed) {
    this.cloud = new SimulatedCloud(seed);
    this.cluster = new UserCluster(seed);
    OperatorInstance.OperatorState fresh = OperatorInstance.OperatorState.fresh(seed);
    OperatorInstance.OperatorState kept =
        new OperatorInstance.OperatorState(
            fresh.revision(), records, fresh.apiKeys(), grants, fresh.kmsRoots());
    this.instance =
        new OperatorInstance(
            cloud,
            cluster,
            store,
            kept,
            new CrashPlan(),
            (app, type, reason, message) -> events.add(type + " " + reason),
            null);
    this.nextPass = cloud.time().now();
  }

  /** A seed whose spec sets neither minReadySeconds nor a batch window. */
  static long unpacedSeed() {
    long seed = 1;
    while (!Pacing.of(seed).equals(Pacing.NONE)) {
      seed++;
    }
    return seed;
  }

  Instant now() {
    return cloud.time().now();
  }

  /** Something the reconciler watches changed: the next pass runs now. */
  AtRestLoop changed() {
    nextPass = cloud.time().now();
    return this;
  }

  /** The next {@code count} boots fail. */
  AtRestLoop bootsFail(int count) {
    cloud
        .simulator()
        .faults()
        .add(
            new FaultRule(
                null, FaultRule.Kind.BOOT_FAIL, null, null, null, 1.0, count, 0, Duration.ZERO));
    return this;
  }

  /** Passes until one asks only for the steady poll, then one more; the status then. */
  PhalaAppStatus settle() {
    for (int i = 0; i < MAX_PASSES; i++) {
      if (!pass().result().converging()) {
        pass();
        return store.peek();
      }
    }
    throw new AssertionError("no rest within " + MAX_PASSES + " passes: " + store.peek());
  }

  /** {@code count} passes at rest, each when the last asked, with what they sent. */
  Counts steady(int count) {
    RequestLog log = cloud.simulator().requestLog();
    log.clear();
    int statusWrites = store.writes();
    int recordWrites = records.writes();
    int eventCount = events.size();
    for (int i = 0; i < count; i++) {
      pass();
    }
    Map<String, Integer> requests = new TreeMap<>();
    for (RequestLog.Entry entry : log.entries()) {
      requests.merge(entry.method() + " " + normal(entry.path()), 1, Integer::sum);
    }
    return new Counts(
        requests,
        store.writes() - statusWrites,
        records.writes() - recordWrites,
        events.size() - eventCount);
  }

  private OperatorInstance.PassReport pass() {
    Duration gap = Duration.between(cloud.time().now(), nextPass);
    if (!gap.isNegative() && !gap.isZero()) {
      cloud.time().advance(gap);
    }
    OperatorInstance.PassReport report = instance.pass();
    nextPass = cloud.time().now().plus(report.nextPoll());
    return report;
  }

  private static String normal(String path) {
    String bare = path.replaceFirst("^/api/v1", "").replaceFirst("\\?.*$", "");
    return ID.matcher(bare).replaceAll("{id}");
  }

  @Override
  public void close() {
    cloud.close();
  }
}
