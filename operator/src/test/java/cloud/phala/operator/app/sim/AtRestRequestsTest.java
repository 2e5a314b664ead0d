package cloud.phala.operator.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.owner.AppRecord;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An app at rest costs one listing read a pass, and nothing else: in each state it can rest in, the
 * steady passes (one a minute) write nothing to Kubernetes (no status write, no record, no Event)
 * and ask Phala Cloud only for the app's CVMs, from the account's shared listing ({@code GET
 * /cvms}, one read serving every app of the API key) or, while the app rests on another revision
 * than its inputs' (paused, pinned, rolled back, halted), {@code GET /apps/{id}/cvms}.
 */
class AtRestRequestsTest {
  private static final int PASSES = 5;
  private static final String SHARED_LISTING = "GET /cvms/paginated";
  private static final String APP_LISTING = "GET /apps/{id}/cvms";

  /** A state an app rests in, and how the user brings it there from a first deploy. */
  enum AtRest {
    READY(loop -> {}),
    PAUSED(
        loop -> {
          loop.cluster.shape(paused(SpecShape.INITIAL));
          loop.cluster.secretKey(UserCluster.KEYS, "TOKEN", 1);
          loop.changed().settle();
        }),
    PINNED(
        loop -> {
          loop.cluster.secretKey(UserCluster.KEYS, "TOKEN", 1);
          loop.changed().settle();
          loop.cluster.dayTwo(Step.DayTwo.Kind.PIN, loop.now(), 1);
          loop.changed().settle();
        }),
    RESTARTED(
        loop -> {
          loop.cluster.dayTwo(Step.DayTwo.Kind.RESTART, loop.now(), 0);
          loop.changed().settle();
        }),
    ROLLED_BACK(
        loop -> {
          loop.cluster.shape(rollback(SpecShape.INITIAL));
          loop.changed().settle();
          loop.bootsFail(1);
          loop.cluster.secretKey(UserCluster.KEYS, "TOKEN", 1);
          loop.changed().settle();
        }),
    HALTED(
        loop -> {
          loop.bootsFail(1);
          loop.cluster.secretKey(UserCluster.KEYS, "TOKEN", 1);
          loop.changed().settle();
        }),
    OS_IMAGE(
        loop -> {
          loop.cluster.osImage("dstack-0.5.5");
          loop.changed().settle();
        }),
    PLACEMENT(
        loop -> {
          loop.cluster.placement(List.of(1, 2));
          loop.changed().settle();
        }),
    PAUSED_ON_A_NEW_OS_IMAGE(
        loop -> {
          loop.cluster.shape(paused(SpecShape.INITIAL));
          loop.cluster.osImage("dstack-0.5.5");
          loop.changed().settle();
        }),
    HALTED_WITH_PLACEMENT_AND_SURGE(
        loop -> {
          loop.cluster.shape(surge(SpecShape.INITIAL));
          loop.cluster.placement(List.of(1, 2));
          loop.changed().settle();
          loop.bootsFail(1);
          loop.cluster.secretKey(UserCluster.KEYS, "TOKEN", 1);
          loop.changed().settle();
        }),
    PAUSED_WITH_PLACEMENT_AND_SURGE(
        loop -> {
          loop.cluster.shape(surge(SpecShape.INITIAL));
          loop.cluster.placement(List.of(1, 2));
          loop.changed().settle();
          loop.cluster.shape(paused(surge(SpecShape.INITIAL)));
          loop.cluster.secretKey(UserCluster.KEYS, "TOKEN", 1);
          loop.changed().settle();
        }),
    ADOPTED(
        loop -> {
          AppRecord record = loop.records.of(UserCluster.NAMESPACE, UserCluster.NAME).get();
          loop.records.remove(record);
          loop.grants.grant(UserCluster.NAMESPACE, UserCluster.NAME, record.appId());
          loop.changed().settle();
        });

    final Consumer<AtRestLoop> bring;

    AtRest(Consumer<AtRestLoop> bring) {
      this.bring = bring;
    }
  }

  @ParameterizedTest
  @EnumSource(AtRest.class)
  void steadyPasses_writeNothing_andReadOnlyTheListing(AtRest state) {
    try (AtRestLoop loop = new AtRestLoop(AtRestLoop.unpacedSeed())) {
      loop.settle();
      state.bring.accept(loop);
      PhalaAppStatus rested = loop.store.read();

      AtRestLoop.Counts counts = loop.steady(PASSES);

      assertThat(counts.statusWrites()).as("status writes").isZero();
      assertThat(counts.recordWrites()).as("record writes").isZero();
      assertThat(counts.events()).as("Events").isZero();
      assertThat(counts.requests().keySet())
          .as("requests to Phala Cloud")
          .isSubsetOf(SHARED_LISTING, APP_LISTING)
          .hasSizeLessThan(2);
      assertThat(counts.requests().values().stream().mapToInt(Integer::intValue).sum())
          .as("listing reads")
          .isBetween(1, PASSES);
    }
  }

  private static SpecShape paused(SpecShape s) {
    return new SpecShape(
        s.replicas(),
        s.maxUnavailable(),
        s.maxSurge(),
        s.recreate(),
        true,
        s.rollback(),
        s.readyTimeout(),
        s.composeVariant(),
        s.script());
  }

  private static SpecShape surge(SpecShape s) {
    return new SpecShape(
        s.replicas(),
        s.maxUnavailable(),
        "1",
        s.recreate(),
        s.paused(),
        s.rollback(),
        s.readyTimeout(),
        s.composeVariant(),
        s.script());
  }

  private static SpecShape rollback(SpecShape s) {
    return new SpecShape(
        s.replicas(),
        s.maxUnavailable(),
        s.maxSurge(),
        s.recreate(),
        s.paused(),
        true,
        s.readyTimeout(),
        s.composeVariant(),
        s.script());
  }
}
