package cloud.phala.operator.app.cloud;

import cloud.phala.operator.cloud.ApiCallObserver;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaCloudConfig;
import cloud.phala.operator.cloud.PhalaCloudConnection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A Phala Cloud client per API key, all on one connection (one HTTP client, one selector thread,
 * one limit on requests in flight) and sharing the operator's metrics observer. The clients of the
 * {@value #KEPT} keys used last are kept, so the apps of one account share one client (and its
 * listing); keys no longer used (rotated, or their tenant gone) are dropped.
 */
public final class CloudClients {
  static final int KEPT = 64;

  private final Function<String, PhalaCloudClient> newClient;
  private final Map<String, PhalaCloudClient> byKey =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PhalaCloudClient> eldest) {
          return size() > KEPT;
        }
      };

  /** {@code userAgent}: what every request says sent it (see {@link PhalaCloudConfig}). */
  public CloudClients(
      String apiUrl, int maxConcurrentRequests, ApiCallObserver observer, String userAgent) {
    this(
        onOneConnection(
            apiUrl, new PhalaCloudConnection(maxConcurrentRequests), observer, userAgent));
  }

  /** {@code newClient}: makes the client of an API key (the simulation's talk to no socket). */
  public CloudClients(Function<String, PhalaCloudClient> newClient) {
    this.newClient = newClient;
  }

  public synchronized PhalaCloudClient forKey(String apiKey) {
    return byKey.computeIfAbsent(apiKey, newClient);
  }

  private static Function<String, PhalaCloudClient> onOneConnection(
      String apiUrl, PhalaCloudConnection connection, ApiCallObserver observer, String userAgent) {
    return key ->
        new PhalaCloudClient(
            PhalaCloudConfig.of(apiUrl, key).withUserAgent(userAgent).withBusyChangesNotResent(),
            observer,
            connection);
  }
}
