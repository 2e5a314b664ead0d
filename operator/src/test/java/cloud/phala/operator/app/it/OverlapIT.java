package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Two operator processes on one API server and one Phala Cloud, both owning every app for good (no
 * shard filter, no leader election): not how the operator is run, but what a stuck reshard or a
 * misconfiguration does. They must converge anyway: a first deploy reaches every replica, a
 * rotation restarts each CVM once and keeps the floor.
 */
@KubeApiTest
class OverlapIT {
  private static final int REPLICAS = 3;
  private static final int APPS = 3;

  @Test
  void twoProcessesActingOnTheSameAppsForGood_deployEveryReplica_andRotateEachCvmOnce(
      KubernetesClient client, TestNamespace ns) {
    OperatorFixture first = OperatorFixture.start(client, ns.name(), Duration.ofMillis(1000));
    OperatorFixture second = first.secondInstance(Map.of("POD_NAME", "phala-operator-other"));
    try {
      Apps apps = new Apps(client, ns.name());
      apps.secret("db", Map.of("url", "postgres://overlap"));
      apps.secret("api", Map.of("token", "overlap-1"));
      List<String> names = IntStream.range(0, APPS).mapToObj(i -> "app-" + i).toList();
      names.forEach(name -> apps.create(name, REPLICAS, spec -> {}));
      Map<String, PhalaAppStatus> ready = new HashMap<>();
      for (String name : names) {
        PhalaAppStatus deployed =
            apps.awaitStatus(
                name, s -> Apps.upToDate(s, REPLICAS) && Apps.condition(s, "Progressing", "False"));
        assertThat(first.simulator.world().listApp(deployed.appId))
            .as("%s: every replica, none twice", name)
            .hasSize(REPLICAS);
        ready.put(name, deployed);
      }

      apps.secret("api", Map.of("token", "overlap-2"));
      for (String name : names) {
        PhalaAppStatus rotated =
            apps.awaitStatus(
                name,
                s ->
                    !ready.get(name).envRevision.equals(s.envRevision)
                        && Apps.upToDate(s, REPLICAS)
                        && Apps.condition(s, "Progressing", "False"));
        for (PhalaAppStatus.CvmStatus cvm : rotated.cvms) {
          assertThat(Apps.booted(first.simulator, cvm.cvmId))
              .containsEntry("API_TOKEN", "overlap-2");
        }
        assertThat(first.simulator.world().listApp(rotated.appId))
            .as("%s: each CVM restarted once for the new revision, despite the overlap", name)
            .extracting(CvmSnapshot::boots)
            .containsOnly(2);
        assertThat(
                Apps.minServingOnceAllServed(
                    first.simulator.world().timeline(rotated.appId), REPLICAS))
            .as("%s keeps its floor", name)
            .isGreaterThanOrEqualTo(REPLICAS - 1);
      }
    } finally {
      second.closeOperatorOnly();
      first.close();
    }
  }
}
