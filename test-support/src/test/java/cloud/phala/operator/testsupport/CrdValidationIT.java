package cloud.phala.operator.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import org.junit.jupiter.api.Test;

@KubeApiTest(crds = Widgets.CRD)
class CrdValidationIT {

  @Test
  void aResourceBreakingACelRule_isRefusedWithTheRulesMessage(
      KubernetesClient client, TestNamespace ns) {
    GenericKubernetesResource both =
        Widgets.widget(ns.name(), "both", Map.of("inline", "x", "fromConfigMap", "cm"));

    assertThatThrownBy(() -> Widgets.in(client).resource(both).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("set exactly one of inline or fromConfigMap");
  }

  @Test
  void aValueOutsideAnEnum_isRefused(KubernetesClient client, TestNamespace ns) {
    GenericKubernetesResource bad =
        Widgets.widget(ns.name(), "bad-mode", Map.of("inline", "x", "mode", "Reckless"));

    assertThatThrownBy(() -> Widgets.in(client).resource(bad).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("Unsupported value: \"Reckless\"");
  }

  @Test
  void schemaDefaults_areApplied(KubernetesClient client, TestNamespace ns) {
    Widgets.in(client)
        .resource(Widgets.widget(ns.name(), "defaults", Map.of("inline", "x")))
        .create();

    Map<String, Object> spec =
        spec(Widgets.in(client).inNamespace(ns.name()).withName("defaults").get());

    assertThat(spec).containsEntry("replicas", 1).containsEntry("mode", "Safe");
  }

  @Test
  void kubectlExplain_showsTheFieldDocs(KubeApiServerHandle server) {
    Command.Result explain =
        Command.run(
            server.binaries().kubectl().toString(),
            "--kubeconfig",
            server.kubeConfigFile().toString(),
            "explain",
            "widgets.spec.replicas");

    assertThat(explain.requireSuccess().output()).contains("How many copies of the widget to run.");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource resource) {
    return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
  }
}
