package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.sync.decide.Observation.Lookup;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaTransportException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chain of each adopted app's KMS ({@code GET /apps/{app_id}/kms-info}), read once per app id:
 * an app's KMS is fixed when it is deployed, so an app at rest reads it no more. A failed read is
 * not remembered and is tried again on the next pass.
 */
final class AppChains {
  private final Map<String, Optional<Long>> known = new ConcurrentHashMap<>();

  Lookup<Optional<Long>> of(PhalaCloudClient client, String appId) {
    Optional<Long> cached = known.get(appId);
    if (cached != null) {
      return Lookup.found(cached);
    }
    try {
      Optional<Long> chain = client.onChain().chainOf(appId);
      known.put(appId, chain);
      return Lookup.found(chain);
    } catch (PhalaApiException | PhalaTransportException e) {
      return Lookup.missing(e.getMessage());
    }
  }
}
