package cloud.phala.operator.bench;

import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.SimulatorConfig;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.cloud.ProvisionRequest;
import cloud.phala.operator.simulator.cloud.ProvisionResult;
import cloud.phala.operator.simulator.cloud.World;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

/**
 * The simulator at scale: heap held by N CVMs, and the throughput and latency of {@code GET
 * /cvms/{id}} and {@code GET /cvms/paginated} under a closed-loop load on loopback.
 *
 * <pre>
 *   java -cp bench/target/benchmarks.jar cloud.phala.operator.bench.SimulatorLoad [cvms] [seconds] [clients]
 * </pre>
 */
public final class SimulatorLoad {
  private SimulatorLoad() {}

  public static void main(String[] args) throws Exception {
    int cvms = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    SimulatorConfig config =
        SimulatorConfig.defaults().withBootTime(Duration.ZERO).withShutdownTime(Duration.ZERO);
    try (PhalaSimulator simulator = PhalaSimulator.start(config)) {
      long heapBefore = BenchCluster.usedHeapAfterGc();
      List<String> ids = populate(simulator.world(), cvms);
      long heapAfter = BenchCluster.usedHeapAfterGc();
      System.out.printf(
          Locale.ROOT,
          "heap for %d CVMs: %.1f MiB (%.1f KiB per CVM)%n",
          cvms,
          (heapAfter - heapBefore) / 1048576.0,
          (heapAfter - heapBefore) / 1024.0 / cvms);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String base = simulator.baseUrl();
      IntFunction<HttpRequest> getOne =
          i ->
              request(
                  base + "/cvms/" + ids.get(ThreadLocalRandom.current().nextInt(ids.size())),
                  simulator);
      IntFunction<HttpRequest> getPage =
          i ->
              request(
                  base
                      + "/cvms/paginated?page_size=30&page="
                      + (1 + ThreadLocalRandom.current().nextInt(cvms / 30)),
                  simulator);
      run("warm-up", http, getOne, clients, 3);
      run("GET /cvms/{id}", http, getOne, clients, seconds);
      run("GET /cvms/paginated (30 per page)", http, getPage, clients, seconds);
    }
  }

  private static List<String> populate(World world, int count) {
    List<String> ids = new ArrayList<>(count);
    ObjectNode compose =
        JsonNodeFactory.instance.objectNode().put("docker_compose_file", "services: {}\n");
    for (int i = 0; i < count; i++) {
      ProvisionResult provisioned =
          world.provision(
              new ProvisionRequest(
                  "load-" + i,
                  compose,
                  "tdx.small",
                  null,
                  null,
                  null,
                  null,
                  null,
                  "phala",
                  null,
                  null,
                  null));
      CvmSnapshot cvm = world.commit(provisioned.appId(), provisioned.composeHash(), null, null);
      ids.add(cvm.vmUuid().toString());
    }
    return ids;
  }

  private static HttpRequest request(String url, PhalaSimulator simulator) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("X-API-Key", simulator.apiKey())
        .header("X-Phala-Version", "2026-01-21")
        .build();
  }

  private static void run(
      String name, HttpClient http, IntFunction<HttpRequest> requests, int clients, int seconds)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    List<Future<long[]>> results = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      results.add(
          pool.submit(
              () -> {
                long[] latencies = new long[1 << 20];
                int n = 0;
                while (System.nanoTime() < end && n < latencies.length) {
                  long start = System.nanoTime();
                  HttpResponse<byte[]> response =
                      http.send(requests.apply(n), HttpResponse.BodyHandlers.ofByteArray());
                  if (response.statusCode() != 200) {
                    throw new IllegalStateException(name + " answered " + response.statusCode());
                  }
                  latencies[n++] = System.nanoTime() - start;
                }
                return Arrays.copyOf(latencies, n);
              }));
    }
    long[] all = new long[0];
    for (Future<long[]> result : results) {
      long[] part = result.get();
      long[] merged = Arrays.copyOf(all, all.length + part.length);
      System.arraycopy(part, 0, merged, all.length, part.length);
      all = merged;
    }
    pool.shutdown();
    Arrays.sort(all);
    System.out.printf(
        Locale.ROOT,
        "%-36s %6d requests in %d s = %7.0f req/s  p50 %.2f ms  p99 %.2f ms  max %.2f ms (%d clients)%n",
        name,
        all.length,
        seconds,
        all.length / (double) seconds,
        all[all.length / 2] / 1e6,
        all[(int) (all.length * 0.99)] / 1e6,
        all[all.length - 1] / 1e6,
        clients);
  }
}
