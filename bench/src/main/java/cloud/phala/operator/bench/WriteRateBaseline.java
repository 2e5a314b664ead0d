package cloud.phala.operator.bench;

import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The API server's rate for the operator's kind of write, measured in the same JVM and cluster just
 * before a rotation: {@code threads} writers (the operator's reconcile threads), each applying the
 * status of its own PhalaApp (a copy of a Ready app's, so the same shape and size) in a loop, the
 * way {@code StatusWrites.write} does (server-side apply on the status subresource, forced, with
 * the resourceVersion it last wrote). The copies live in namespace {@value #NS}, which the operator
 * does not watch, so it never sees them.
 */
final class WriteRateBaseline {
  static final String NS = "bench-baseline";

  private WriteRateBaseline() {}

  /** Writes per second over {@code duration}. */
  static double measure(KubernetesClient client, PhalaApp model, int threads, Duration duration)
      throws Exception {
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<PhalaApp>> created = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int i = t;
        created.add(pool.submit(() -> client.resource(copy(model, i)).create()));
      }
      long deadline = System.nanoTime() + duration.toNanos();
      long start = System.nanoTime();
      List<Future<Integer>> counts = new ArrayList<>();
      for (Future<PhalaApp> f : created) {
        PhalaApp app = f.get();
        counts.add(pool.submit(() -> loop(client, app, model.getStatus(), deadline)));
      }
      int writes = 0;
      for (Future<Integer> f : counts) {
        writes += f.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double rate = writes / seconds;
      System.out.printf(
          Locale.ROOT,
          "write-rate baseline: %d status applies of %d bytes from %d threads in %.2f s ="
              + " %.1f writes/s%n",
          writes,
          Serialization.asJson(model.getStatus()).length(),
          threads,
          seconds,
          rate);
      return rate;
    } finally {
      pool.shutdown();
    }
  }

  /**
   * The time goal: 1.25 x max(ideal, writes / the baseline's rate), with the rotation's writes per
   * app (PhalaApp status patches and Events apart).
   */
  static void printGoal(
      int apps, int statusWrites, int events, double rate, double ideal, double seconds) {
    int writes = statusWrites + events;
    double bound = Math.max(ideal, writes / rate);
    System.out.printf(
        Locale.ROOT,
        "writes per app per rotation: %.2f PhalaApp status (goal <= 4) + %.2f Events;"
            + " %d writes / %.1f writes/s = %.2f s; goal 1.25 x max(%.2f s, %.2f s) = %.2f s;"
            + " rotation %.2f s = %.2f x the bound%n",
        statusWrites / (double) apps,
        events / (double) apps,
        writes,
        rate,
        writes / rate,
        ideal,
        writes / rate,
        1.25 * bound,
        seconds,
        seconds / bound);
  }

  private static PhalaApp copy(PhalaApp model, int i) {
    PhalaApp app = new PhalaApp();
    app.setMetadata(new ObjectMetaBuilder().withName("baseline-" + i).withNamespace(NS).build());
    app.setSpec(model.getSpec());
    return app;
  }

  private static int loop(KubernetesClient client, PhalaApp app, PhalaAppStatus model, long until) {
    String version = app.getMetadata().getResourceVersion();
    int writes = 0;
    while (System.nanoTime() < until) {
      PhalaAppStatus status =
          Serialization.unmarshal(Serialization.asJson(model), PhalaAppStatus.class);
      status.restartedAt = String.format(Locale.ROOT, "2026-01-01T00:00:%02dZ", writes % 60);
      status.observedGeneration = (long) writes;
      PhalaApp fresh = new PhalaApp();
      fresh.setMetadata(
          new ObjectMetaBuilder()
              .withName(app.getMetadata().getName())
              .withNamespace(NS)
              .withResourceVersion(version)
              .build());
      fresh.setStatus(status);
      PhalaApp written =
          client
              .resource(fresh)
              .subresource("status")
              .patch(
                  new PatchContext.Builder()
                      .withForce(true)
                      .withFieldManager("write-rate-baseline")
                      .withPatchType(PatchType.SERVER_SIDE_APPLY)
                      .build());
      version = written.getMetadata().getResourceVersion();
      writes++;
    }
    return writes;
  }
}
