package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.owner.AppRecord;
import cloud.phala.operator.app.owner.Claim;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.crd.PhalaApp;
import java.util.Locale;
import java.util.Optional;

/** The app of the CVM named for a PhalaApp: a name only this installation gives it. */
final class NamedApp {
  private NamedApp() {}

  /** The app of the CVM called {@code name}, if one exists. */
  static Optional<String> of(PhalaCloudClient client, String name) {
    try {
      return Optional.of(client.getCvm(name).appId());
    } catch (PhalaApiException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Asked when the record names an app without CVMs: if the CVM named for this PhalaApp runs in
   * another app, a first deploy another process won while this record was written for the provision
   * that lost. The named app is the one owned (and recorded): deploying again would only meet that
   * name, taken, for good.
   */
  static Optional<Claim.Owned> elsewhere(
      PhalaApp app, Claim.Owned owned, PhalaCloudClient client, String cvmName) {
    return of(client, cvmName)
        .filter(appId -> !plain(appId).equals(plain(owned.appId())))
        .map(
            appId ->
                new Claim.Owned(
                    appId,
                    null,
                    Optional.of(
                        new AppRecord(
                            app.getMetadata().getNamespace(),
                            app.getMetadata().getName(),
                            app.getMetadata().getUid(),
                            appId,
                            null)),
                    Optional.empty()));
  }

  private static String plain(String appId) {
    String id = appId.toLowerCase(Locale.ROOT);
    return id.startsWith("app_") ? id.substring(4) : id;
  }
}
