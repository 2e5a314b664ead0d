package cloud.phala.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.PhalaApp;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeanCachesTest {
  @Test
  void aCachedPhalaApp_keepsNoManagedFields_norTheLastApplied_butItsOtherAnnotations() {
    PhalaApp app = new PhalaApp();
    app.getMetadata().setName("payments");
    app.getMetadata().setResourceVersion("7");
    app.getMetadata().setAnnotations(Map.of("team", "a", LeanCaches.LAST_APPLIED, "{\"spec\":{}}"));
    app.getMetadata()
        .setManagedFields(List.of(new ManagedFieldsEntryBuilder().withManager("kubectl").build()));

    PhalaApp kept = LeanCaches.lean(app);

    assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(kept.getMetadata().getAnnotations()).isEqualTo(Map.of("team", "a"));
    assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("7");
  }

  @Test
  void aCachedConfigMap_keepsItsData_withoutTheLastAppliedCopyOfIt() {
    ConfigMap map =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("settings")
            .addToAnnotations(LeanCaches.LAST_APPLIED, "{\"data\":{\"mode\":\"fast\"}}")
            .addNewManagedField()
            .withManager("kubectl")
            .endManagedField()
            .endMetadata()
            .withData(Map.of("mode", "fast"))
            .build();

    ConfigMap kept = LeanCaches.lean(map);

    assertThat(kept.getData()).isEqualTo(Map.of("mode", "fast"));
    assertThat(kept.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
  }
}
