package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.app.config.Shard;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A reshard from 2 to 3 shards in the middle of a rotation, with overlap injected: the 3 new shards
 * start (without leader election, as pods of a new StatefulSet revision may briefly run next to the
 * old ones) while the 2 old shards still act, so two processes act on the same apps at once. Phala
 * Cloud offers no fencing; the rotation must still restart each CVM once and keep the floor.
 */
@KubeApiTest
class ReshardIT {
  private static final int REPLICAS = 3;
  private static final int APPS = 4;

  @Test
  void reshardingFrom2To3MidRotation_withOverlap_restartsEachCvmOnce_andKeepsTheFloor(
      KubernetesClient client, TestNamespace ns) {
    OperatorFixture old0 =
        OperatorFixture.start(
            client, ns.name(), Duration.ofMillis(1000), ns.name(), ShardingIT.env(0));
    OperatorFixture old1 = old0.secondInstance(ShardingIT.env(1));
    List<OperatorFixture> fresh = new ArrayList<>();
    try {
      Apps apps = new Apps(client, ns.name());
      apps.secret("db", Map.of("url", "postgres://reshard"));
      apps.secret("api", Map.of("token", "reshard-1"));
      List<String> names = IntStream.range(0, APPS).mapToObj(i -> "app-" + i).toList();
      names.forEach(name -> apps.create(name, REPLICAS, spec -> {}));
      Map<String, PhalaAppStatus> ready = new HashMap<>();
      for (String name : names) {
        ready.put(
            name,
            apps.awaitStatus(
                name,
                s -> Apps.upToDate(s, REPLICAS) && Apps.condition(s, "Progressing", "False")));
      }

      apps.secret("api", Map.of("token", "reshard-2"));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  names.stream()
                      .anyMatch(
                          name ->
                              old0.simulator.world().listApp(ready.get(name).appId).stream()
                                  .anyMatch(CvmSnapshot::inProgress)));
      for (int shard = 0; shard < 3; shard++) {
        fresh.add(
            old0.secondInstance(
                Map.of(
                    "SHARD_COUNT",
                    "3",
                    "SHARD",
                    String.valueOf(shard),
                    "POD_NAME",
                    "phala-operator-next-" + shard,
                    "LEADER_ELECTION",
                    "false")));
      }
      // overlap: every app has been acted on by a new shard while the old shards still run
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  fresh.stream()
                      .flatMap(f -> f.hook.observed.stream())
                      .toList()
                      .containsAll(names.stream().map(n -> ns.name() + "/" + n).toList()));
      old1.closeOperatorOnly();
      old0.closeOperatorOnly();

      for (String name : names) {
        PhalaAppStatus rotated =
            apps.awaitStatus(
                name,
                s ->
                    !ready.get(name).envRevision.equals(s.envRevision)
                        && Apps.upToDate(s, REPLICAS)
                        && Apps.condition(s, "Progressing", "False"));
        for (PhalaAppStatus.CvmStatus cvm : rotated.cvms) {
          assertThat(Apps.booted(old0.simulator, cvm.cvmId))
              .containsEntry("API_TOKEN", "reshard-2");
        }
        assertThat(old0.simulator.world().listApp(rotated.appId))
            .as("%s: each CVM restarted once for the new revision, despite the overlap", name)
            .extracting(CvmSnapshot::boots)
            .containsOnly(2);
        assertThat(
                Apps.minServingOnceAllServed(
                    old0.simulator.world().timeline(rotated.appId), REPLICAS))
            .as("%s keeps its floor", name)
            .isGreaterThanOrEqualTo(REPLICAS - 1);
      }
      // at rest each app is reconciled by its new shard only
      fresh.forEach(f -> f.hook.observed.clear());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> fresh.stream().mapToInt(f -> f.hook.observed.size()).sum() >= APPS);
      for (int shard = 0; shard < 3; shard++) {
        int s = shard;
        assertThat(fresh.get(shard).hook.observed)
            .allSatisfy(
                app ->
                    assertThat(Shard.of(ns.name(), app.substring(app.indexOf('/') + 1), 3))
                        .isEqualTo(s));
      }
    } finally {
      fresh.forEach(OperatorFixture::closeOperatorOnly);
      old1.closeOperatorOnly();
      old0.close();
    }
  }
}
