package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A local stub that holds requests open, to see how many the client has in flight at once. */
class ConcurrencyLimitTest {

  @Test
  void theClient_neverHasMoreRequestsInFlightThanItsLimit() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    AtomicInteger served = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    stub.setExecutor(Executors.newFixedThreadPool(16));
    stub.createContext(
        "/",
        exchange -> {
          maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body =
              "{\"status\":\"running\",\"in_progress\":false}".getBytes(StandardCharsets.UTF_8);
          inFlight.decrementAndGet();
          served.incrementAndGet();
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    stub.start();
    PhalaCloudClient client =
        new PhalaCloudClient(
            PhalaCloudConfig.of("http://127.0.0.1:" + stub.getAddress().getPort() + "/api/v1", "k")
                .withMaxConcurrentRequests(2),
            ApiCallObserver.NONE);
    ExecutorService callers = Executors.newFixedThreadPool(6);
    try {
      for (int i = 0; i < 6; i++) {
        callers.submit(() -> client.state("cvm-" + Thread.currentThread().getId()));
      }

      await().atMost(Duration.ofSeconds(5)).until(() -> inFlight.get() == 2);
      assertThat(maxInFlight.get()).isEqualTo(2);
      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> served.get() == 6);
      assertThat(maxInFlight.get()).isEqualTo(2);
    } finally {
      release.countDown();
      callers.shutdownNow();
      stub.stop(0);
    }
  }

  @Test
  void theApiKey_isSentOnlyAsTheXApiKeyHeader() throws IOException {
    AtomicInteger checked = new AtomicInteger();
    HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 5);
    stub.createContext(
        "/",
        exchange -> {
          boolean keyHeader =
              "phak_test".equals(exchange.getRequestHeaders().getFirst("X-API-Key"));
          boolean version =
              "2026-01-21".equals(exchange.getRequestHeaders().getFirst("X-Phala-Version"));
          boolean keyInUrl = exchange.getRequestURI().toString().contains("phak_test");
          if (keyHeader && version && !keyInUrl) {
            checked.incrementAndGet();
          }
          byte[] body = "{\"status\":\"running\"}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    stub.start();
    try {
      new PhalaCloudClient(
              PhalaCloudConfig.of(
                  "http://127.0.0.1:" + stub.getAddress().getPort() + "/api/v1", "phak_test"),
              ApiCallObserver.NONE)
          .state("x");
      assertThat(checked.get()).isEqualTo(1);
    } finally {
      stub.stop(0);
    }
  }
}
