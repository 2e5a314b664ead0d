package cloud.phala.operator.simulator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK's HTTP server in front of an {@link ApiDispatcher}: reads each request off the socket,
 * hands it over, and writes the answer back (or drops the connection when there is none).
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  public static final String API_KEY_HEADER = ApiDispatcher.API_KEY_HEADER;

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
  private final ApiDispatcher dispatcher;

  public HttpApi(String host, int port, ApiDispatcher dispatcher) throws IOException {
    this.dispatcher = dispatcher;
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

  public ApiDispatcher dispatcher() {
    return dispatcher;
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    dispatcher.serve(
        exchange.getRequestMethod(),
        exchange.getRequestURI(),
        exchange.getRequestHeaders(),
        body,
        answer -> write(exchange, answer));
  }

  private static void write(HttpExchange exchange, ApiAnswer answer) throws IOException {
    if (!answer.answered()) {
      exchange.close();
      return;
    }
    answer.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
    if (answer.stream() != null) {
      exchange.sendResponseHeaders(answer.status(), 0);
      try (OutputStream out = exchange.getResponseBody()) {
        answer.stream().write(out);
      } catch (IOException clientWentAway) {
        log.debug("event stream closed by the client");
      }
      return;
    }
    byte[] body = answer.body();
    exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
