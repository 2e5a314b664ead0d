package cloud.phala.operator.bench;

import cloud.phala.operator.app.LeanCaches;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.testsupport.CrdInstaller;
import cloud.phala.operator.testsupport.SharedKubeApiServer;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Heap a PhalaApp informer holds for N apps as {@code kubectl apply} leaves them (the
 * last-applied-configuration annotation) with a status the operator applied server-side (so
 * managedFields name two managers): a plain informer, then one with the operator's {@link
 * LeanCaches} store, each measured after GC in the same JVM against the real API server.
 *
 * <pre>
 * java -Xmx1g -cp bench/target/benchmarks.jar cloud.phala.operator.bench.PhalaAppCacheHeap [apps=1000]
 * </pre>
 */
public final class PhalaAppCacheHeap {
  private PhalaAppCacheHeap() {}

  public static void main(String[] args) {
    BenchCluster.runAndExit(args, PhalaAppCacheHeap::run);
  }

  private static void run(String[] args) throws Exception {
    int count = BenchCluster.intArg(args, 0, 1_000);
    KubernetesClient client = SharedKubeApiServer.get().newAdminClient();
    CrdInstaller.installGeneratedAnd(client);
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(BenchCluster.NS)
                .endMetadata()
                .build())
        .serverSideApply();
    for (int i = 0; i < count; i++) {
      PhalaApp app = applied("cached-" + i);
      client.resource(app).create();
      PhalaApp status = new PhalaApp();
      status.getMetadata().setName(app.getMetadata().getName());
      status.getMetadata().setNamespace(BenchCluster.NS);
      status.setStatus(status(i));
      client
          .resource(status)
          .subresource("status")
          .patch(
              new PatchContext.Builder()
                  .withPatchType(PatchType.SERVER_SIDE_APPLY)
                  .withFieldManager("phala-operator")
                  .withForce(true)
                  .build());
    }
    long before = BenchCluster.usedHeapAfterGc();
    long full =
        measure(
            client.resources(PhalaApp.class).inNamespace(BenchCluster.NS).runnableInformer(0),
            count,
            before);
    long lean =
        measure(
            client
                .resources(PhalaApp.class)
                .inNamespace(BenchCluster.NS)
                .runnableInformer(0)
                .itemStore(new TransformingItemStore<>(LeanCaches::lean)),
            count,
            BenchCluster.usedHeapAfterGc());
    System.out.printf(
        Locale.ROOT,
        "%d PhalaApps: plain informer %.1f MiB (%.0f bytes per app); lean %.1f MiB (%.0f bytes"
            + " per app); lean/plain %.2f%n",
        count,
        BenchCluster.mib(full),
        full / (double) count,
        BenchCluster.mib(lean),
        lean / (double) count,
        lean / (double) full);
  }

  /** Heap the informer adds once it holds {@code count} apps; it is closed again. */
  private static long measure(SharedIndexInformer<PhalaApp> informer, int count, long before)
      throws Exception {
    informer.start().toCompletableFuture().get();
    while (informer.getStore().list().size() < count) {
      Thread.sleep(200);
    }
    long with = BenchCluster.usedHeapAfterGc();
    informer.close();
    return with - before;
  }

  /** An app as {@code kubectl apply} creates it: the annotation holds the applied object. */
  private static PhalaApp applied(String name) {
    PhalaApp app =
        BenchApps.app(
            name,
            3,
            List.of(
                BenchApps.fromSecret("DATABASE_URL", name + "-db"),
                BenchApps.fromSecret("API_TOKEN", name + "-api")));
    app.getMetadata().setAnnotations(Map.of(LeanCaches.LAST_APPLIED, Serialization.asJson(app)));
    return app;
  }

  private static PhalaAppStatus status(int i) {
    PhalaAppStatus status = new PhalaAppStatus();
    status.phase = "Ready";
    status.envRevision = String.format(Locale.ROOT, "%016x", 0x5eedL * (i + 1));
    status.appId = String.format(Locale.ROOT, "%040x", i + 1);
    status.replicas = 3;
    status.ready = "3/3";
    status.conditions = new ArrayList<>();
    for (String type : List.of("Ready", "Progressing", "Degraded", "SecretsResolved")) {
      status.conditions.add(
          new ConditionBuilder()
              .withType(type)
              .withStatus("Ready".equals(type) || "SecretsResolved".equals(type) ? "True" : "False")
              .withReason("Steady")
              .withMessage("all 3 replicas serve revision " + status.envRevision)
              .withLastTransitionTime("2026-12-03T10:00:00Z")
              .withObservedGeneration(1L)
              .build());
    }
    return status;
  }
}
