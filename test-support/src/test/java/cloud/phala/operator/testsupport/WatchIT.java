package cloud.phala.operator.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

@KubeApiTest
class WatchIT {

  @Test
  void aWatch_seesCreateUpdateAndDelete(KubernetesClient client, TestNamespace ns) {
    List<String> events = new CopyOnWriteArrayList<>();
    try (Watch watch =
        client
            .configMaps()
            .inNamespace(ns.name())
            .withName("watched")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, ConfigMap resource) {
                    events.add(action + ":" + resource.getData().get("v"));
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      client.resource(configMap(ns, "watched", "1")).create();
      client.configMaps().inNamespace(ns.name()).withName("watched").edit(cm -> withValue(cm, "2"));
      client.configMaps().inNamespace(ns.name()).withName("watched").delete();

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(events).containsExactly("ADDED:1", "MODIFIED:2", "DELETED:2"));
    }
  }

  @Test
  void anUpdateWithAStaleResourceVersion_isRefusedWith409(
      KubernetesClient client, TestNamespace ns) {
    ConfigMap created = client.resource(configMap(ns, "stale", "1")).create();
    client.configMaps().inNamespace(ns.name()).withName("stale").edit(cm -> withValue(cm, "2"));

    ConfigMap stale = withValue(created, "3");

    assertThatThrownBy(() -> client.resource(stale).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  private static ConfigMap configMap(TestNamespace ns, String name, String value) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns.name())
        .endMetadata()
        .addToData("v", value)
        .build();
  }

  private static ConfigMap withValue(ConfigMap cm, String value) {
    return new ConfigMapBuilder(cm).addToData("v", value).build();
  }
}
