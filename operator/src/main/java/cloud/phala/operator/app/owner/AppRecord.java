package cloud.phala.operator.app.owner;

/**
 * Which Phala app a PhalaApp owns, as this installation recorded it in its own namespace: the
 * PhalaApp by namespace, name and uid (a PhalaApp deleted and created again under the same name is
 * another one), the app and its KMS.
 */
public record AppRecord(String namespace, String name, String uid, String appId, String kmsId) {

  public AppRecord forUid(String newUid) {
    return new AppRecord(namespace, name, newUid, appId, kmsId);
  }
}
