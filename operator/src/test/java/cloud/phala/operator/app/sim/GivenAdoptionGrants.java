package cloud.phala.operator.app.sim;

import cloud.phala.operator.app.owner.AdoptionGrant;
import cloud.phala.operator.app.owner.AdoptionGrantStore;
import java.util.Optional;

/** At most one admin grant at a time, given by the test and used up once, as the ConfigMap is. */
final class GivenAdoptionGrants implements AdoptionGrantStore {
  private AdoptionGrant given;

  void grant(String appNamespace, String appName, String appId) {
    given = new AdoptionGrant("adopt-sim", appNamespace, appName, appId);
  }

  boolean pending() {
    return given != null;
  }

  @Override
  public Optional<AdoptionGrant> of(String appNamespace, String appName) {
    return Optional.ofNullable(given)
        .filter(g -> g.namespace().equals(appNamespace) && g.name().equals(appName));
  }

  @Override
  public void consume(AdoptionGrant grant) {
    given = null;
  }
}
