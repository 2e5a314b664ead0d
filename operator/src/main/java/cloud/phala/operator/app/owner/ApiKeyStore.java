package cloud.phala.operator.app.owner;

import java.util.Optional;

/**
 * Where the copies of apps' own API keys live, by record name: {@link ApiKeyCopies} (one Secret in
 * the operator's namespace) in production, memory in the simulation.
 */
public interface ApiKeyStore {
  /** The key kept for the app whose record is {@code recordName}. */
  Optional<String> of(String recordName);

  /** Keeps {@code key} for the app (none: forgets it). */
  void put(String recordName, Optional<String> key);
}
