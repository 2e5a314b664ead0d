package cloud.phala.operator.bench;

import cloud.phala.operator.crd.PhalaApp;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Heap the operator gains when its watched namespace fills with Secrets no PhalaApp references: a
 * few apps run, heap in use after GC is measured, N Secrets of S KiB random data are created, and
 * once the API server holds them all and the informers have had time to see them, heap is measured
 * again. For comparison, a plain full Secret informer on the same namespace is then started in the
 * same JVM and its cost measured the same way.
 *
 * <pre>
 * java -Xmx1g -cp bench/target/benchmarks.jar cloud.phala.operator.bench.UnrelatedSecretsHeap \
 *     [secrets=10000] [kib=4] [apps=3]
 * </pre>
 */
public final class UnrelatedSecretsHeap {
  private UnrelatedSecretsHeap() {}

  public static void main(String[] args) {
    BenchCluster.runAndExit(args, UnrelatedSecretsHeap::run);
  }

  private static void run(String[] args) throws Exception {
    int secrets = BenchCluster.intArg(args, 0, 10_000);
    int kib = BenchCluster.intArg(args, 1, 4);
    int apps = BenchCluster.intArg(args, 2, 3);
    Duration settle = Duration.ofSeconds(15);
    try (BenchCluster cluster =
        BenchCluster.start(
            BenchCluster.simulator(Duration.ofMillis(200), Duration.ofMillis(100)), Map.of())) {
      List<PhalaApp> created = new ArrayList<>();
      for (int i = 0; i < apps; i++) {
        cluster.secret("own-" + i, Map.of("value", "v0"));
        created.add(BenchApps.app("app-" + i, 1, List.of(BenchApps.fromSecret("OWN", "own-" + i))));
      }
      cluster.createAll(created, 4);
      cluster.awaitApps(apps, BenchCluster.ready(1), Duration.ofSeconds(1), Duration.ofMinutes(5));
      Thread.sleep(settle.toMillis());
      long before = BenchCluster.usedHeapAfterGc();
      System.out.printf(
          Locale.ROOT,
          "%d apps Ready; heap used after GC: %.1f MiB%n",
          apps,
          BenchCluster.mib(before));

      long start = System.nanoTime();
      cluster.createAll(unrelated(secrets, kib), 8);
      int listed = countSecrets(cluster);
      System.out.printf(
          Locale.ROOT,
          "created %d Secrets of %d KiB random data in %.1f s; the API server lists %d Secrets in"
              + " the namespace; waiting %d s%n",
          secrets,
          kib,
          (System.nanoTime() - start) / 1e9,
          listed,
          settle.toSeconds());
      Thread.sleep(settle.toMillis());
      long after = BenchCluster.usedHeapAfterGc();
      Thread.sleep(settle.toMillis());
      long afterAgain = BenchCluster.usedHeapAfterGc();
      System.out.printf(
          Locale.ROOT,
          "heap used after GC: %.1f MiB, %d s later %.1f MiB; growth %.1f MiB (goal <= 10 MiB),"
              + " %.0f bytes per Secret%n",
          BenchCluster.mib(after),
          settle.toSeconds(),
          BenchCluster.mib(afterAgain),
          BenchCluster.mib(afterAgain - before),
          (afterAgain - before) / (double) secrets);

      SharedIndexInformer<Secret> full =
          cluster.client.secrets().inNamespace(BenchCluster.NS).inform();
      while (!full.hasSynced() || full.getStore().list().size() < listed) {
        Thread.sleep(200);
      }
      long withFull = BenchCluster.usedHeapAfterGc();
      System.out.printf(
          Locale.ROOT,
          "baseline: a full Secret informer holding %d Secrets adds %.1f MiB (%.0f bytes per"
              + " Secret); ratio full/operator %.1f%n",
          full.getStore().list().size(),
          BenchCluster.mib(withFull - afterAgain),
          (withFull - afterAgain) / (double) secrets,
          (withFull - afterAgain) / (double) Math.max(1, afterAgain - before));
      full.close();
    }
  }

  private static List<Secret> unrelated(int count, int kib) {
    Random random = new Random(42);
    List<Secret> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] data = new byte[kib * 1024];
      random.nextBytes(data);
      list.add(
          new SecretBuilder()
              .withNewMetadata()
              .withName("unrelated-" + i)
              .withNamespace(BenchCluster.NS)
              .endMetadata()
              .withData(Map.of("blob", Base64.getEncoder().encodeToString(data)))
              .build());
    }
    return list;
  }

  /** How many Secrets the API server holds in the namespace, read in pages of metadata. */
  private static int countSecrets(BenchCluster cluster) {
    return cluster
            .client
            .secrets()
            .inNamespace(BenchCluster.NS)
            .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build())
            .getMetadata()
            .getRemainingItemCount()
            .intValue()
        + 1;
  }
}
