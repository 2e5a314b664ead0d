package cloud.phala.operator.app.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * {@code /metrics} (Prometheus text), {@code /healthz} (the process and its informers work) and
 * {@code /readyz} (the operator started and every event source is healthy).
 */
public final class OperatorHttp implements AutoCloseable {
  private final HttpServer server;

  public OperatorHttp(int port, PrometheusMeterRegistry registry, Operator operator)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 16);
    server.createContext(
        "/metrics", x -> respond(x, 200, registry.scrape(), "text/plain; version=0.0.4"));
    server.createContext(
        "/healthz",
        x -> {
          boolean healthy =
              !operator.getRuntimeInfo().isStarted()
                  || operator.getRuntimeInfo().allEventSourcesAreHealthy();
          respond(x, healthy ? 200 : 503, healthy ? "ok" : "event sources unhealthy", "text/plain");
        });
    server.createContext(
        "/readyz",
        x -> {
          boolean ready =
              operator.getRuntimeInfo().isStarted()
                  && operator.getRuntimeInfo().allEventSourcesAreHealthy();
          respond(x, ready ? 200 : 503, ready ? "ready" : "not ready", "text/plain");
        });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String body, String contentType)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
