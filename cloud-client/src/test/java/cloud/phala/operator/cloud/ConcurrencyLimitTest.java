package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A local stub that holds requests open, to see how many the client has in flight at once. */
class ConcurrencyLimitTest {

  @Test
  void theClient_neverHasMoreRequestsInFlightThanItsLimit() throws Exception {
    assertAtMostTwoInFlight(
        url ->
            new PhalaCloudClient[] {
              new PhalaCloudClient(
                  PhalaCloudConfig.of(url, "k").withMaxConcurrentRequests(2), ApiCallObserver.NONE)
            });
  }

  @Test
  void clientsForManyKeysOnOneConnection_shareItsLimit() throws Exception {
    PhalaCloudConnection connection = new PhalaCloudConnection(2);
    assertAtMostTwoInFlight(
        url ->
            new PhalaCloudClient[] {
              new PhalaCloudClient(
                  PhalaCloudConfig.of(url, "k1"), ApiCallObserver.NONE, connection),
              new PhalaCloudClient(
                  PhalaCloudConfig.of(url, "k2"), ApiCallObserver.NONE, connection),
              new PhalaCloudClient(PhalaCloudConfig.of(url, "k3"), ApiCallObserver.NONE, connection)
            });
  }

  /** Six calls spread over the clients made for the stub's URL: at most two are ever in flight. */
  private static void assertAtMostTwoInFlight(Function<String, PhalaCloudClient[]> clientsFor)
      throws Exception {
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
    PhalaCloudClient[] clients =
        clientsFor.apply("http://127.0.0.1:" + stub.getAddress().getPort() + "/api/v1");
    ExecutorService callers = Executors.newFixedThreadPool(6);
    try {
      for (int i = 0; i < 6; i++) {
        PhalaCloudClient client = clients[i % clients.length];
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

  @Test
  void clientsOnOneConnection_eachSendTheirOwnKey() throws IOException {
    List<String> keys = new CopyOnWriteArrayList<>();
    HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 5);
    stub.createContext(
        "/",
        exchange -> {
          keys.add(exchange.getRequestHeaders().getFirst("X-API-Key"));
          byte[] body = "{\"status\":\"running\"}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    stub.start();
    try {
      String url = "http://127.0.0.1:" + stub.getAddress().getPort() + "/api/v1";
      PhalaCloudConnection connection = new PhalaCloudConnection(4);
      PhalaCloudClient first =
          new PhalaCloudClient(
              PhalaCloudConfig.of(url, "phak_one"), ApiCallObserver.NONE, connection);
      PhalaCloudClient second =
          new PhalaCloudClient(
              PhalaCloudConfig.of(url, "phak_two"), ApiCallObserver.NONE, connection);

      first.state("a");
      second.state("b");
      first.state("c");

      assertThat(keys).containsExactly("phak_one", "phak_two", "phak_one");
    } finally {
      stub.stop(0);
    }
  }
}
