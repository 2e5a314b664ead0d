package cloud.phala.operator.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

@KubeApiTest(crds = Widgets.CRD)
class ServerSideApplyIT {

  @Test
  void serverSideApply_recordsTheFieldManagerAndMergesByOwner(
      KubernetesClient client, TestNamespace ns) {
    ConfigMap mine =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("ssa")
            .withNamespace(ns.name())
            .endMetadata()
            .addToData("mine", "1")
            .build();
    client.resource(mine).fieldManager("phala-operator").forceConflicts().serverSideApply();
    ConfigMap theirs =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("ssa")
            .withNamespace(ns.name())
            .endMetadata()
            .addToData("theirs", "2")
            .build();
    client.resource(theirs).fieldManager("someone-else").serverSideApply();

    ConfigMap live = client.configMaps().inNamespace(ns.name()).withName("ssa").get();

    assertThat(live.getData()).containsEntry("mine", "1").containsEntry("theirs", "2");
    assertThat(live.getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
        .contains(
            org.assertj.core.groups.Tuple.tuple("phala-operator", "Apply"),
            org.assertj.core.groups.Tuple.tuple("someone-else", "Apply"));
  }

  @Test
  void aStatusSubresourceUpdate_doesNotBumpTheGeneration_aSpecChangeDoes(
      KubernetesClient client, TestNamespace ns) {
    Widgets.in(client).resource(Widgets.widget(ns.name(), "gen", Map.of("inline", "x"))).create();
    GenericKubernetesResource created =
        Widgets.in(client).inNamespace(ns.name()).withName("gen").get();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

    created.getAdditionalProperties().put("status", Map.of("observedGeneration", 1));
    GenericKubernetesResource afterStatus =
        Widgets.in(client).inNamespace(ns.name()).resource(created).updateStatus();
    assertThat(afterStatus.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(afterStatus.getAdditionalProperties().get("status"))
        .isEqualTo(Map.of("observedGeneration", 1));

    Map<String, Object> spec = new HashMap<>(CrdValidationIT.spec(afterStatus));
    spec.put("replicas", 3);
    afterStatus.getAdditionalProperties().put("spec", spec);
    GenericKubernetesResource afterSpec =
        Widgets.in(client).inNamespace(ns.name()).resource(afterStatus).update();
    assertThat(afterSpec.getMetadata().getGeneration()).isEqualTo(2L);
  }
}
