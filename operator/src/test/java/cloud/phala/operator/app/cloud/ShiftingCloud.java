package cloud.phala.operator.app.cloud;

import cloud.phala.operator.cloud.ApiCallObserver;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaCloudConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stub Phala Cloud whose CVM list can change between two page reads of {@code GET
 * /cvms/paginated} (offset pages, as the real API serves them), so a listing shifts: a CVM deleted
 * after page 1 was read moves a CVM of page 2 onto page 1, out of sight; one created at the head
 * lists a CVM of page 1 again on page 2. {@code GET /apps/{app_id}/cvms} always answers what
 * exists.
 */
public final class ShiftingCloud implements AutoCloseable {
  /** A CVM as listed: its VM UUID and app. */
  public record Item(String vmUuid, String appId) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final List<Item> cvms = new ArrayList<>();
  private final Map<Integer, Runnable> afterPage = new HashMap<>();
  private int next = 1;

  private ShiftingCloud(HttpServer server) {
    this.server = server;
  }

  public static ShiftingCloud start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      ShiftingCloud cloud = new ShiftingCloud(server);
      server.createContext("/api/v1/cvms/paginated", cloud::page);
      server.createContext("/api/v1/apps/", cloud::appCvms);
      server.start();
      return cloud;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public PhalaCloudClient client() {
    return new PhalaCloudClient(
        PhalaCloudConfig.of(
            "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1", "phak_test"),
        ApiCallObserver.NONE);
  }

  /** A new CVM at the end of the listing. */
  public synchronized Item add(String appId) {
    Item item = item(appId);
    cvms.add(item);
    return item;
  }

  /** A new CVM at the head of the listing (a listing ordered newest first). */
  public synchronized Item addFirst(String appId) {
    Item item = item(appId);
    cvms.add(0, item);
    return item;
  }

  public synchronized void remove(Item item) {
    cvms.remove(item);
  }

  /** Runs {@code change} once, right after page {@code page} was read. */
  public synchronized void afterPage(int page, Runnable change) {
    afterPage.put(page, change);
  }

  private Item item(String appId) {
    return new Item(String.format("00000000-0000-4000-8000-%012d", next++), appId);
  }

  private void page(HttpExchange exchange) throws IOException {
    Map<String, Integer> query = new HashMap<>();
    for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      query.put(kv[0], Integer.parseInt(kv[1]));
    }
    int page = query.get("page");
    int size = query.get("page_size");
    ObjectNode body = JSON.createObjectNode();
    Runnable change;
    synchronized (this) {
      int from = Math.min((page - 1) * size, cvms.size());
      ArrayNode items = body.putArray("items");
      cvms.subList(from, Math.min(from + size, cvms.size())).forEach(c -> items.add(json(c)));
      body.put("total", cvms.size());
      body.put("page", page);
      body.put("page_size", size);
      body.put("pages", Math.max(1, (cvms.size() + size - 1) / size));
      change = afterPage.remove(page);
    }
    if (change != null) {
      change.run();
    }
    send(exchange, body.toString());
  }

  private void appCvms(HttpExchange exchange) throws IOException {
    String appId = exchange.getRequestURI().getPath().split("/")[4];
    ArrayNode items = JSON.createArrayNode();
    synchronized (this) {
      cvms.stream().filter(c -> c.appId().equals(appId)).forEach(c -> items.add(json(c)));
    }
    send(exchange, items.toString());
  }

  private static ObjectNode json(Item item) {
    ObjectNode node = JSON.createObjectNode();
    node.put("vm_uuid", item.vmUuid());
    node.put("id", "cvm_" + item.vmUuid().substring(24));
    node.put("name", "cvm-" + item.vmUuid().substring(24));
    node.put("app_id", item.appId());
    node.put("status", "running");
    node.put("in_progress", false);
    return node;
  }

  private static void send(HttpExchange exchange, String text) throws IOException {
    byte[] body = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
