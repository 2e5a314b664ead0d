package cloud.phala.operator.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

@KubeApiTest
class GeneratedCrdDiscoveryIT {

  @Test
  void crdsWhereTheGeneratorWritesThem_areInstalledWithoutBeingNamed(KubernetesClient client) {
    CustomResourceDefinition gadgets =
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("gadgets.proof.phala.cloud")
            .get();

    assertThat(gadgets).isNotNull();
    assertThat(gadgets.getStatus().getConditions())
        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Test
  void eachTestClass_getsANamespaceOfItsOwn(KubernetesClient client, TestNamespace ns) {
    assertThat(ns.name()).startsWith("generated-crd-discovery-it-");
    assertThat(client.namespaces().withName(ns.name()).get()).isNotNull();
  }
}
