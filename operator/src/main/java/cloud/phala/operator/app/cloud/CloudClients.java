package cloud.phala.operator.app.cloud;

import cloud.phala.operator.cloud.ApiCallObserver;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaCloudConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One Phala Cloud client per API key, all sharing the operator's metrics observer. */
public final class CloudClients {
  private final String apiUrl;
  private final int maxConcurrentRequests;
  private final ApiCallObserver observer;
  private final Map<String, PhalaCloudClient> byKey = new ConcurrentHashMap<>();

  public CloudClients(String apiUrl, int maxConcurrentRequests, ApiCallObserver observer) {
    this.apiUrl = apiUrl;
    this.maxConcurrentRequests = maxConcurrentRequests;
    this.observer = observer;
  }

  public PhalaCloudClient forKey(String apiKey) {
    return byKey.computeIfAbsent(
        apiKey,
        key ->
            new PhalaCloudClient(
                PhalaCloudConfig.of(apiUrl, key).withMaxConcurrentRequests(maxConcurrentRequests),
                observer));
  }
}
