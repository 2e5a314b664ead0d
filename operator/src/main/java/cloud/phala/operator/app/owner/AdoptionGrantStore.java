package cloud.phala.operator.app.owner;

import java.util.Optional;

/**
 * Where an admin's {@link AdoptionGrant}s are read and used up: {@link AdoptionGrants} (labelled
 * ConfigMaps) in production, memory in the simulation.
 */
public interface AdoptionGrantStore {
  Optional<AdoptionGrant> of(String appNamespace, String appName);

  /** A grant is used once. */
  void consume(AdoptionGrant grant);
}
