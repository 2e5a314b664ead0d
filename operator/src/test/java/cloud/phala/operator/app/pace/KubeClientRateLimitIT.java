package cloud.phala.operator.app.pace;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;

@KubeApiTest
class KubeClientRateLimitIT {
  @Test
  void everyRequestOfTheOperatorsClient_takesATokenFromTheBucket(
      KubernetesClient admin, TestNamespace ns) {
    int burst = 100;
    // one token per 1,000 s: the bucket does not refill during the test
    KubeRateLimit limit = new KubeRateLimit(0.001, burst, System.nanoTime());

    try (KubernetesClient client =
        KubeClients.limited(
                new KubernetesClientBuilder().withConfig(admin.getConfiguration()), limit)
            .build()) {
      for (int i = 0; i < 3; i++) {
        client.configMaps().inNamespace(ns.name()).withName("none-" + i).get();
      }
    }

    int left = 0;
    while (limit.reserve(System.nanoTime()) == 0) {
      left++;
    }
    assertThat(burst - left).as("tokens the 3 requests took").isGreaterThanOrEqualTo(3);
  }
}
