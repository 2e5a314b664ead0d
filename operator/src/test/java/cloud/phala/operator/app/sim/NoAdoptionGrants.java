package cloud.phala.operator.app.sim;

import cloud.phala.operator.app.owner.AdoptionGrant;
import cloud.phala.operator.app.owner.AdoptionGrantStore;
import java.util.Optional;

/** No admin grants an adoption in a simulated history. */
final class NoAdoptionGrants implements AdoptionGrantStore {
  @Override
  public Optional<AdoptionGrant> of(String appNamespace, String appName) {
    return Optional.empty();
  }

  @Override
  public void consume(AdoptionGrant grant) {
    throw new IllegalStateException("no grant was given");
  }
}
