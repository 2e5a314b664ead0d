package cloud.phala.operator.simulator.http;

import cloud.phala.operator.simulator.cloud.CloudError;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side: the JDK's HTTP server, API-key auth, routing, fault injection, error bodies, the
 * request log. Paths under {@code /api/v1} are the cloud API; {@code /_sim} are the test hooks.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  public static final String API_KEY_HEADER = "X-API-Key";

  static {
    // The JDK server closes a kept-alive connection when more than this many are idle (default
    // 200), and a client that reuses it gets a reset. Load tests and many clients exceed 200.
    if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
      System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
    }
    // The server writes headers and body separately; with Nagle's algorithm on, the body waits
    // for the client's delayed ACK of the headers: 40 ms on every response.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Router router;
  private final Set<String> apiKeys;
  private final RequestLog requestLog = new RequestLog();
  private final List<Consumer<RecordedExchange>> listeners = new CopyOnWriteArrayList<>();
  private volatile HttpFaults faults = HttpFaults.NONE;

  public HttpApi(String host, int port, List<String> apiKeys, Router router) throws IOException {
    this.router = router;
    this.apiKeys = Set.copyOf(apiKeys);
    this.server = HttpServer.create(new InetSocketAddress(host, port), 1024);
    this.executor =
        Executors.newFixedThreadPool(
            64,
            r -> {
              Thread t = new Thread(r, "simulator-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::dispatch);
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public RequestLog requestLog() {
    return requestLog;
  }

  public void setFaults(HttpFaults faults) {
    this.faults = faults;
  }

  public void addExchangeListener(Consumer<RecordedExchange> listener) {
    listeners.add(listener);
  }

  public void removeExchangeListener(Consumer<RecordedExchange> listener) {
    listeners.remove(listener);
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Router.Match match = null;
    ApiVersion version = ApiVersion.V2026_01_21;
    Response response;
    try {
      version = ApiVersion.fromHeader(exchange.getRequestHeaders().getFirst(ApiVersion.HEADER));
      Router.Lookup lookup = router.lookup(method, path);
      match = lookup.match();
      response = answer(exchange, method, path, body, lookup, version);
    } catch (IllegalArgumentException badVersion) {
      response = ErrorBodies.plain(400, badVersion.getMessage());
    }
    if (response == null) {
      exchange.close();
      requestLog.add(new RequestLog.Entry(Instant.now(), method, path, 0, millisSince(start)));
      return;
    }
    write(exchange, response);
    int status = response.status();
    requestLog.add(new RequestLog.Entry(Instant.now(), method, path, status, millisSince(start)));
    if (!listeners.isEmpty() && response.stream() == null) {
      RecordedExchange recorded =
          new RecordedExchange(
              method,
              match == null ? null : match.template(),
              path,
              version,
              exchange.getRequestHeaders().getFirst("Content-Type"),
              body,
              status,
              response.contentType(),
              response.body());
      listeners.forEach(l -> l.accept(recorded));
    }
  }

  /** Null means: drop the connection. */
  private Response answer(
      HttpExchange exchange,
      String method,
      String path,
      byte[] body,
      Router.Lookup lookup,
      ApiVersion version) {
    String key = exchange.getRequestHeaders().getFirst(API_KEY_HEADER);
    if (key == null || key.isBlank()) {
      return ErrorBodies.plain(401, "Not authenticated");
    }
    if (!apiKeys.contains(key)) {
      return ErrorBodies.plain(401, "Invalid API key");
    }
    if (lookup.match() == null) {
      return lookup.pathKnown()
          ? ErrorBodies.plain(405, "Method Not Allowed")
          : ErrorBodies.plain(404, "Not Found");
    }
    Router.Match match = lookup.match();
    // a fault that lets the request be carried out, then replaces its answer
    HttpFault afterApply = null;
    if (path.startsWith("/api/")) {
      Optional<HttpFault> fault = faults.next(method, path, match.params().get("cvm_id"));
      if (fault.isPresent()) {
        HttpFault injected = fault.get();
        switch (injected.kind()) {
          case DROP_CONNECTION -> {
            return null;
          }
          case LATENCY -> sleep(injected.delay().toMillis());
          case LOSE_RESPONSE, ERROR_AFTER_APPLY -> afterApply = injected;
          default -> {
            return faultResponse(injected, exchange);
          }
        }
      }
    }
    Request request =
        new Request(
            method,
            path,
            match.params(),
            exchange.getRequestURI().getRawQuery(),
            exchange.getRequestHeaders(),
            body,
            version);
    Response response = answer(match, request, method);
    if (afterApply == null) {
      return response;
    }
    // the answer the client gets says nothing of what was done
    return afterApply.kind() == HttpFault.Kind.LOSE_RESPONSE
        ? null
        : ErrorBodies.plain(afterApply.status(), gatewayMessage(afterApply.status()));
  }

  /** What a gateway in front of the API says when it gives up on the upstream. */
  private static String gatewayMessage(int status) {
    return switch (status) {
      case 502 -> "Bad Gateway";
      case 504 -> "Gateway Timeout";
      default -> "Injected error after the request was carried out";
    };
  }

  private static Response answer(Router.Match match, Request request, String method) {
    try {
      return match.handler().handle(request);
    } catch (CloudError error) {
      return ErrorBodies.of(error);
    } catch (RuntimeException bug) {
      log.error("simulator bug handling {} {}", method, match.template(), bug);
      return ErrorBodies.plain(500, "Internal Server Error");
    }
  }

  private static Response faultResponse(HttpFault fault, HttpExchange exchange) {
    return switch (fault.kind()) {
      case BUSY -> ErrorBodies.of(CloudError.busy());
      case RATE_LIMIT -> {
        exchange
            .getResponseHeaders()
            .set("Retry-After", Long.toString(Math.max(0, fault.delay().toSeconds())));
        yield ErrorBodies.plain(429, "Too Many Requests");
      }
      default -> ErrorBodies.plain(fault.status(), "Injected server error");
    };
  }

  private static void write(HttpExchange exchange, Response response) throws IOException {
    if (response.contentType() != null) {
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
    }
    if (response.stream() != null) {
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.sendResponseHeaders(response.status(), 0);
      try (OutputStream out = exchange.getResponseBody()) {
        response.stream().write(out);
      } catch (IOException clientWentAway) {
        log.debug("event stream closed by the client");
      }
      return;
    }
    byte[] body = response.body();
    exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
