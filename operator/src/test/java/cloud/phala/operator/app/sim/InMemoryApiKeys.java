package cloud.phala.operator.app.sim;

import cloud.phala.operator.app.owner.ApiKeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Copies of apps' own API keys in memory; they outlive operator instances. */
final class InMemoryApiKeys implements ApiKeyStore {
  private final Map<String, String> keys = new HashMap<>();

  @Override
  public Optional<String> of(String recordName) {
    return Optional.ofNullable(keys.get(recordName));
  }

  @Override
  public void put(String recordName, Optional<String> key) {
    key.ifPresentOrElse(k -> keys.put(recordName, k), () -> keys.remove(recordName));
  }
}
