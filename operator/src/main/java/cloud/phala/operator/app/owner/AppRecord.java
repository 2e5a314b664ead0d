package cloud.phala.operator.app.owner;

import java.util.Optional;

/**
 * Which Phala app a PhalaApp owns, as this installation recorded it in its own namespace: the
 * PhalaApp by namespace, name and uid (a PhalaApp deleted and created again under the same name is
 * another one), the app and its KMS, and the API key the app was deployed with when it was not the
 * operator's default (so the app can be removed whatever its namespace deleted first).
 */
public record AppRecord(
    String namespace,
    String name,
    String uid,
    String appId,
    String kmsId,
    Optional<String> apiKey) {

  public AppRecord {
    apiKey = apiKey == null ? Optional.empty() : apiKey;
  }

  public AppRecord forUid(String newUid) {
    return new AppRecord(namespace, name, newUid, appId, kmsId, apiKey);
  }

  public AppRecord withApiKey(Optional<String> key) {
    return new AppRecord(namespace, name, uid, appId, kmsId, key);
  }

  /** Never the API key. */
  @Override
  public String toString() {
    return "AppRecord[" + namespace + "/" + name + " uid " + uid + " app " + appId + "]";
  }
}
