package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.app.config.Shard;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.http.RequestLog;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two shards (two operator instances, each with SHARD_COUNT 2 and its own ordinal and Lease) on one
 * cluster and one Phala Cloud: each app is reconciled by its shard only, and a shard killed
 * mid-rotation finishes the rotation once Kubernetes restarts it with the same ordinal.
 */
@KubeApiTest
class ShardingIT {
  private static final int REPLICAS = 3;
  private static OperatorFixture shard0;
  private static OperatorFixture shard1;

  @BeforeAll
  static void start(KubernetesClient client, TestNamespace ns) {
    shard0 = OperatorFixture.start(client, ns.name(), Duration.ofMillis(1000), ns.name(), env(0));
    shard1 = shard0.secondInstance(env(1));
  }

  static Map<String, String> env(int shard) {
    return Map.of(
        "SHARD_COUNT",
        "2",
        "POD_NAME",
        "phala-operator-" + shard,
        "LEADER_ELECTION",
        "true",
        "LEASE_DURATION",
        "3s",
        "EXIT_ON_LOST_LEASE",
        "false");
  }

  @AfterAll
  static void stop() {
    shard1.closeOperatorOnly();
    shard0.close();
  }

  /** {@code perShard} app names for each of {@code count} shards of namespace {@code ns}. */
  static Map<Integer, List<String>> namesPerShard(String ns, int count, int perShard) {
    Map<Integer, List<String>> names = new HashMap<>();
    for (int i = 0; names.values().stream().mapToInt(List::size).sum() < count * perShard; i++) {
      List<String> mine =
          names.computeIfAbsent(Shard.of(ns, "app-" + i, count), s -> new ArrayList<>());
      if (mine.size() < perShard) {
        mine.add("app-" + i);
      }
    }
    return names;
  }

  @Test
  void eachAppIsReconciledByItsShardOnly_andAKilledShardFinishesItsRotationAfterRestart(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("db", Map.of("url", "postgres://shard"));
    apps.secret("api", Map.of("token", "shard-1"));
    Map<Integer, List<String>> names = namesPerShard(ns.name(), 2, 2);
    names.values().forEach(list -> list.forEach(name -> apps.create(name, REPLICAS, spec -> {})));
    Map<String, PhalaAppStatus> ready = new HashMap<>();
    names
        .values()
        .forEach(
            list ->
                list.forEach(
                    name ->
                        ready.put(
                            name,
                            apps.awaitStatus(
                                name,
                                s ->
                                    Apps.upToDate(s, REPLICAS)
                                        && Apps.condition(s, "Progressing", "False")))));
    java.time.Instant restAt = shard0.simulator.time().clock().instant();

    for (int shard = 0; shard < 2; shard++) {
      assertThat(
              client
                  .leases()
                  .inNamespace(ns.name())
                  .withName("phala-operator-shard-" + shard)
                  .get()
                  .getSpec()
                  .getHolderIdentity())
          .isEqualTo("phala-operator-" + shard);
    }
    // at rest: steady polls bring every app to its shard again, and never to the other one
    shard0.hook.observed.clear();
    shard1.hook.observed.clear();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                shard0.hook.observed.containsAll(qualified(ns, names.get(0)))
                    && shard1.hook.observed.containsAll(qualified(ns, names.get(1))));
    assertThat(shard0.hook.observed)
        .containsExactlyInAnyOrderElementsOf(qualified(ns, names.get(0)));
    assertThat(shard1.hook.observed)
        .containsExactlyInAnyOrderElementsOf(qualified(ns, names.get(1)));
    assertThat(shard0.simulator.requestLog().entries())
        .as("at rest no shard writes to Phala Cloud")
        .filteredOn(e -> !e.method().equals("GET") && e.at().isAfter(restAt))
        .isEmpty();

    String victim = names.get(1).get(0);
    apps.secret("api", Map.of("token", "shard-2"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                shard1.simulator.world().listApp(ready.get(victim).appId).stream()
                    .anyMatch(CvmSnapshot::inProgress));
    shard1.restartOperator();

    for (List<String> list : names.values()) {
      for (String name : list) {
        PhalaAppStatus rotated =
            apps.awaitStatus(
                name,
                s ->
                    !ready.get(name).envRevision.equals(s.envRevision)
                        && Apps.upToDate(s, REPLICAS)
                        && Apps.condition(s, "Progressing", "False"));
        for (PhalaAppStatus.CvmStatus cvm : rotated.cvms) {
          assertThat(Apps.booted(shard0.simulator, cvm.cvmId))
              .containsEntry("API_TOKEN", "shard-2");
        }
        assertThat(shard0.simulator.world().listApp(rotated.appId))
            .as("%s: each CVM restarted once for the new revision", name)
            .extracting(CvmSnapshot::boots)
            .containsOnly(2);
        assertThat(
                Apps.minServingOnceAllServed(
                    shard0.simulator.world().timeline(rotated.appId), REPLICAS))
            .as("%s keeps its floor", name)
            .isGreaterThanOrEqualTo(REPLICAS - 1);
      }
    }
    assertEachAppsRequestsCameFromItsShardOnly(ns, names, ready);
  }

  /**
   * From Phala Cloud's side, not the operator's: every request the simulator logged that names one
   * of an app's CVMs or the app itself (deploy, rotation, the restart after the kill, at rest) came
   * from the process of the app's shard, by the User-Agent each process sends.
   */
  private static void assertEachAppsRequestsCameFromItsShardOnly(
      TestNamespace ns, Map<Integer, List<String>> names, Map<String, PhalaAppStatus> ready) {
    List<RequestLog.Entry> log = shard0.simulator.requestLog().entries();
    assertThat(log)
        .extracting(RequestLog.Entry::client)
        .allMatch(client -> client.matches("phala-operator/\\S+ \\(shard [01]/2\\)"));
    names.forEach(
        (shard, list) ->
            list.forEach(
                name -> {
                  assertThat(Shard.of(ns.name(), name, 2)).isEqualTo(shard);
                  Set<String> ids = identifiers(ready.get(name).appId);
                  List<RequestLog.Entry> aboutApp =
                      log.stream()
                          .filter(e -> Arrays.stream(e.path().split("/")).anyMatch(ids::contains))
                          .toList();
                  assertThat(aboutApp).as("requests naming %s", name).isNotEmpty();
                  assertThat(aboutApp)
                      .as("requests naming %s come from shard %d only", name, shard)
                      .extracting(RequestLog.Entry::client)
                      .allMatch(client -> client.endsWith("(shard " + shard + "/2)"));
                }));
  }

  /** The app id and each of its CVMs' ids, in every form a path may carry them. */
  private static Set<String> identifiers(String appId) {
    Set<String> ids = new HashSet<>(Set.of(appId, "app_" + appId));
    for (CvmSnapshot cvm : shard0.simulator.world().listApp(appId)) {
      ids.add(cvm.vmUuid().toString());
      ids.add(cvm.hashedId());
    }
    ids.remove(null);
    return ids;
  }

  private static List<String> qualified(TestNamespace ns, List<String> names) {
    return names.stream().map(n -> ns.name() + "/" + n).toList();
  }
}
