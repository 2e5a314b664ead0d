package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.app.owner.Claim;
import cloud.phala.operator.app.owner.Ownerships;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.crd.PhalaApp;
import java.util.Optional;

/**
 * The first step of a pass on Phala Cloud: which app this PhalaApp owns ({@link Ownerships}),
 * recorded in the draft (whatever the previous status said), or why it may not act.
 */
final class OwnedApp {
  private final Ownerships owners;
  private final OperatorConfig config;

  OwnedApp(Ownerships owners, OperatorConfig config) {
    this.owners = owners;
    this.config = config;
  }

  /**
   * Puts the owned app (or none: a first deploy) in {@code draft}; a refusal says why not. {@code
   * cvmName}: this installation's name for the app's first CVM.
   */
  Optional<Claim.Refused> establish(
      PhalaApp app,
      String cvmName,
      PhalaCloudClient client,
      StatusDraft draft,
      Optional<String> ownApiKey) {
    Claim claim = owners.claim(app, () -> appNamed(client, cvmName));
    if (claim instanceof Claim.Refused refused) {
      return Optional.of(refused);
    }
    if (claim instanceof Claim.Owned owned) {
      String kmsId =
          owned.kmsId() != null
              ? owned.kmsId()
              : config.kmsId().orElseGet(() -> client.kmsList().get(0).id());
      owners.settle(owned, kmsId);
      owners.apiKeyInUse(app, ownApiKey);
      draft.adopt(owned.appId(), kmsId);
    } else {
      draft.forgetApp();
    }
    return Optional.empty();
  }

  /** The app of the CVM with this installation's name for the PhalaApp, if there is one. */
  private static Optional<String> appNamed(PhalaCloudClient client, String name) {
    try {
      return Optional.of(client.getCvm(name).appId());
    } catch (PhalaApiException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
