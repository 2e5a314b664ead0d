package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OperatorMain as a pod runs it, with leader election on: a SIGTERM (a pod's termination, a rollout
 * of the operator) stops it, releases the lease and exits 0; a lease another instance took while it
 * ran makes it exit 1, so that Kubernetes restarts it into the election.
 */
@KubeApiTest
class GracefulStopIT {
  private static final String LEASE = "phala-operator";

  @Test
  void sigterm_stopsTheOperator_releasesTheLease_andExitsZero(
      KubernetesClient client, KubeApiServerHandle server, TestNamespace ns) throws Exception {
    String home = namespace(client, ns.name() + "-stop");
    try (OperatorProcess operator =
        OperatorProcess.start(server, env(home, "stopping-pod"), "graceful-stop.log")) {
      awaitHolder(client, home, "stopping-pod", operator);

      int status = operator.terminate();

      assertThat(status).as("exit status; output in %s", operator.log()).isZero();
      Lease released = client.leases().inNamespace(home).withName(LEASE).get();
      assertThat(released.getSpec().getHolderIdentity())
          .as("released: another instance need not wait for it to expire")
          .isNull();
      assertThat(released.getSpec().getLeaseDurationSeconds()).isEqualTo(1);
    }
  }

  @Test
  void aLeaseTakenOverWhileRunning_exitsNonZero_andLeavesTheLeaseToItsNewHolder(
      KubernetesClient client, KubeApiServerHandle server, TestNamespace ns) {
    String home = namespace(client, ns.name() + "-lost");
    try (OperatorProcess operator =
        OperatorProcess.start(server, env(home, "losing-pod"), "lost-lease.log")) {
      awaitHolder(client, home, "losing-pod", operator);

      // another instance takes the Lease; a renewal between its read and its write is a 409, so
      // it reads again and retries, as a real contender does
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreException(KubernetesClientException.class)
          .until(
              () ->
                  client
                      .leases()
                      .inNamespace(home)
                      .withName(LEASE)
                      .edit(
                          lease -> {
                            lease.getSpec().setHolderIdentity("other-pod");
                            lease.getSpec().setLeaseDurationSeconds(60);
                            lease
                                .getSpec()
                                .setRenewTime(ZonedDateTime.now().truncatedTo(ChronoUnit.MICROS));
                            return lease;
                          }),
              lease -> "other-pod".equals(lease.getSpec().getHolderIdentity()));

      await().atMost(Duration.ofSeconds(60)).until(() -> !operator.alive());
      assertThat(operator.exitValue()).as("exit status; output in %s", operator.log()).isEqualTo(1);
      assertThat(client.leases().inNamespace(home).withName(LEASE).get().getSpec())
          .extracting(s -> s.getHolderIdentity())
          .as("a lost lease is not released: it is not this instance's any more")
          .isEqualTo("other-pod");
    }
  }

  private static Lease awaitHolder(
      KubernetesClient client, String namespace, String identity, OperatorProcess operator) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              assertThat(operator.alive()).as("running; output in %s", operator.log()).isTrue();
              return client.leases().inNamespace(namespace).withName(LEASE).get();
            },
            l -> l != null && identity.equals(l.getSpec().getHolderIdentity()));
  }

  private static Map<String, String> env(String namespace, String identity) {
    return Map.of(
        "OPERATOR_NAMESPACE", namespace,
        "WATCH_NAMESPACES", namespace,
        // no PhalaApp here: the operator never calls it
        "PHALA_API_URL", "http://127.0.0.1:9/api/v1",
        "HTTP_PORT", "0",
        "LEADER_ELECTION", "true",
        "POD_NAME", identity,
        "LEASE_DURATION", "3s");
  }

  private static String namespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
    return name;
  }
}
