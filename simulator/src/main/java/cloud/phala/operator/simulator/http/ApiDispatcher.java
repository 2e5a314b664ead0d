package cloud.phala.operator.simulator.http;

import cloud.phala.operator.simulator.api.DstackVerifierRoutes;
import cloud.phala.operator.simulator.cloud.CloudError;
import cloud.phala.operator.simulator.time.SimTime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the simulator does per request, without a socket: API-key auth, the API version
 * header, routing, fault injection, error bodies, the request log and exchange listeners. The HTTP
 * server hands each request here; an in-process simulation calls {@link #handle} directly.
 */
public final class ApiDispatcher {
  private static final Logger log = LoggerFactory.getLogger(ApiDispatcher.class);
  public static final String API_KEY_HEADER = "X-API-Key";

  /** Puts an answer on the wire (or keeps it); called before the request is logged. */
  interface Delivery {
    void deliver(ApiAnswer answer) throws IOException;
  }

  private final Router router;
  private final Set<String> apiKeys;
  private final SimTime time;
  private final RequestLog requestLog = new RequestLog();
  private final List<Consumer<RecordedExchange>> listeners = new CopyOnWriteArrayList<>();
  private volatile HttpFaults faults = HttpFaults.NONE;

  public ApiDispatcher(List<String> apiKeys, Router router, SimTime time) {
    this.router = router;
    this.apiKeys = Set.copyOf(apiKeys);
    this.time = time;
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

  /**
   * One whole exchange in process. {@code pathAndQuery} is e.g. {@code /api/v1/cvms/1?x=y}; a
   * streamed answer (Server-Sent Events) is read to its end into the body. A null body is empty.
   */
  public ApiAnswer handle(
      String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body) {
    ApiAnswer[] kept = new ApiAnswer[1];
    byte[] bytes = body == null ? new byte[0] : body;
    try {
      serve(method, URI.create(pathAndQuery), headers, bytes, answer -> kept[0] = drained(answer));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return kept[0];
  }

  void serve(
      String method, URI uri, Map<String, List<String>> headers, byte[] body, Delivery delivery)
      throws IOException {
    long start = time.nanoTime();
    String path = uri.getPath();
    Router.Match match = null;
    ApiVersion version = ApiVersion.V2026_01_21;
    ApiAnswer answer;
    try {
      version = ApiVersion.fromHeader(Headers.first(headers, ApiVersion.HEADER).orElse(null));
      Router.Lookup lookup = router.lookup(method, path);
      match = lookup.match();
      answer = answer(method, uri, headers, body, lookup, version);
    } catch (IllegalArgumentException badVersion) {
      answer = wire(ErrorBodies.plain(400, badVersion.getMessage()), null);
    }
    delivery.deliver(answer);
    requestLog.add(
        new RequestLog.Entry(
            time.clock().instant(),
            method,
            path,
            answer.status(),
            millisSince(start),
            Headers.first(headers, "User-Agent").orElse("")));
    if (answer.answered() && !listeners.isEmpty() && answer.stream() == null) {
      RecordedExchange recorded =
          new RecordedExchange(
              method,
              match == null ? null : match.template(),
              path,
              version,
              Headers.first(headers, "Content-Type").orElse(null),
              body,
              answer.status(),
              answer.header("Content-Type").orElse(null),
              answer.body());
      listeners.forEach(l -> l.accept(recorded));
    }
  }

  private ApiAnswer answer(
      String method,
      URI uri,
      Map<String, List<String>> headers,
      byte[] body,
      Router.Lookup lookup,
      ApiVersion version) {
    String key = Headers.first(headers, API_KEY_HEADER).orElse(null);
    boolean open = DstackVerifierRoutes.open(uri.getPath());
    if (!open && (key == null || key.isBlank())) {
      return wire(ErrorBodies.plain(401, "Not authenticated"), null);
    }
    if (!open && !apiKeys.contains(key)) {
      return wire(ErrorBodies.plain(401, "Invalid API key"), null);
    }
    if (lookup.match() == null) {
      return wire(
          lookup.pathKnown()
              ? ErrorBodies.plain(405, "Method Not Allowed")
              : ErrorBodies.plain(404, "Not Found"),
          null);
    }
    Router.Match match = lookup.match();
    String path = uri.getPath();
    // a fault that lets the request be carried out, then replaces its answer
    HttpFault afterApply = null;
    if (path.startsWith("/api/") || open) {
      Optional<HttpFault> fault = faults.next(method, path, match.params().get("cvm_id"));
      if (fault.isPresent()) {
        HttpFault injected = fault.get();
        switch (injected.kind()) {
          case DROP_CONNECTION -> {
            return ApiAnswer.none();
          }
          case LATENCY -> time.sleep(injected.delay());
          case LOSE_RESPONSE, ERROR_AFTER_APPLY -> afterApply = injected;
          default -> {
            return faultAnswer(injected);
          }
        }
      }
    }
    Request request =
        new Request(method, path, match.params(), uri.getRawQuery(), headers, body, version);
    Response response = answer(match, request, method);
    if (afterApply == null) {
      return wire(response, null);
    }
    // the answer the client gets says nothing of what was done
    return afterApply.kind() == HttpFault.Kind.LOSE_RESPONSE
        ? ApiAnswer.none()
        : wire(ErrorBodies.plain(afterApply.status(), gatewayMessage(afterApply.status())), null);
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

  private static ApiAnswer faultAnswer(HttpFault fault) {
    return switch (fault.kind()) {
      case BUSY -> wire(ErrorBodies.of(CloudError.busy()), null);
      case RATE_LIMIT ->
          wire(
              ErrorBodies.plain(429, "Too Many Requests"),
              Long.toString(Math.max(0, fault.delay().toSeconds())));
      default -> wire(ErrorBodies.plain(fault.status(), "Injected server error"), null);
    };
  }

  /** A handler's response with the headers it goes out with. */
  private static ApiAnswer wire(Response response, String retryAfter) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    if (retryAfter != null) {
      headers.put("Retry-After", List.of(retryAfter));
    }
    if (response.contentType() != null) {
      headers.put("Content-Type", List.of(response.contentType()));
    }
    if (response.stream() != null) {
      headers.put("Cache-Control", List.of("no-cache"));
    }
    return new ApiAnswer(response.status(), headers, response.body(), response.stream());
  }

  /** The answer with a streamed body read to its end. */
  private static ApiAnswer drained(ApiAnswer answer) throws IOException {
    if (answer.stream() == null) {
      return answer;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    answer.stream().write(out);
    return new ApiAnswer(answer.status(), answer.headers(), out.toByteArray(), null);
  }

  private long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(time.nanoTime() - startNanos);
  }
}
