package cloud.phala.operator.bench;

import cloud.phala.operator.crd.PhalaApp;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every change to PhalaApps, Events and Secrets in {@link BenchCluster#NS} from now on, as watches
 * (started at the current resourceVersion, so without the initial ADDED events) see them. While the
 * benchmark itself writes nothing, these are the operator's writes.
 */
final class KubeWrites implements AutoCloseable {
  /** One change a watch saw. */
  record Change(Instant at, String kind, Watcher.Action action) {}

  private final ConcurrentLinkedQueue<Change> changes = new ConcurrentLinkedQueue<>();
  private final List<Watch> watches;

  KubeWrites(KubernetesClient client) {
    watches =
        List.of(
            watch(client.resources(PhalaApp.class), "PhalaApp"),
            watch(client.v1().events(), "Event"),
            watch(client.secrets(), "Secret"));
  }

  List<Change> changes() {
    return List.copyOf(changes);
  }

  private <T extends HasMetadata, L extends KubernetesResourceList<T>> Watch watch(
      MixedOperation<T, L, ?> resources, String kind) {
    String version =
        resources
            .inNamespace(BenchCluster.NS)
            .list(new ListOptionsBuilder().withLimit(1L).build())
            .getMetadata()
            .getResourceVersion();
    return resources
        .inNamespace(BenchCluster.NS)
        .watch(
            new ListOptionsBuilder().withResourceVersion(version).build(),
            new Watcher<T>() {
              @Override
              public void eventReceived(Action action, T resource) {
                changes.add(new Change(Instant.now(), kind, action));
              }

              @Override
              public void onClose(WatcherException cause) {
                System.out.println("watch on " + kind + " closed: " + cause);
              }
            });
  }

  @Override
  public void close() {
    watches.forEach(Watch::close);
  }
}
