package cloud.phala.operator.app.owner;

import cloud.phala.operator.app.status.Reason;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which Phala app a PhalaApp owns. Only what tenants cannot write counts: this installation's
 * record, an admin's grant, or the app's first CVM found under the name only this installation
 * gives it (identity, namespace and name). {@code status.appId} is a report, never a claim: a
 * PhalaApp that has one but none of the above waits for an admin instead of acting on it.
 */
public final class Claims {
  private Claims() {}

  /**
   * @param uid the PhalaApp's uid now
   * @param statusAppId what its status says (tenants can write it)
   * @param appByName the app of the CVM named for this PhalaApp, if one exists (asked only when
   *     neither a record nor a grant decides)
   */
  public static Claim decide(
      String namespace,
      String name,
      String uid,
      String statusAppId,
      Optional<AppRecord> record,
      Optional<AdoptionGrant> grant,
      Supplier<Optional<String>> appByName,
      String operatorNamespace) {
    if (grant.isPresent()) {
      String appId = grant.get().appId();
      String kmsId = record.filter(r -> r.appId().equals(appId)).map(AppRecord::kmsId).orElse(null);
      AppRecord granted = new AppRecord(namespace, name, uid, appId, kmsId);
      return new Claim.Owned(appId, kmsId, Optional.of(granted), grant);
    }
    if (record.isPresent()) {
      AppRecord r = record.get();
      if (r.uid().equals(uid)) {
        return new Claim.Owned(r.appId(), r.kmsId(), Optional.empty(), Optional.empty());
      }
      return new Claim.Refused(
          Reason.ADOPTION_REQUIRED,
          "Phala app "
              + r.appId()
              + " was deployed for an earlier PhalaApp "
              + namespace
              + "/"
              + name
              + " (uid "
              + r.uid()
              + "); this one (uid "
              + uid
              + ") manages it only once an operator admin grants it"
              + grantCommand(namespace, name, r.appId(), operatorNamespace)
              + ". Nothing is deployed meanwhile");
    }
    Optional<String> named = appByName.get();
    if (named.isPresent()) {
      return new Claim.Owned(
          named.get(),
          null,
          Optional.of(new AppRecord(namespace, name, uid, named.get(), null)),
          Optional.empty());
    }
    if (statusAppId != null) {
      return new Claim.Refused(
          Reason.ADOPTION_REQUIRED,
          "status.appId names Phala app "
              + statusAppId
              + ", which this operator installation has no record of deploying for this PhalaApp;"
              + " it manages that app only once an operator admin grants it"
              + grantCommand(namespace, name, statusAppId, operatorNamespace)
              + ". Nothing is deployed meanwhile");
    }
    return new Claim.Unclaimed();
  }

  private static String grantCommand(
      String namespace, String name, String appId, String operatorNamespace) {
    String grant =
        "adopt-" + AppRecords.recordName(namespace, name).substring("phala-app-".length());
    return " (kubectl -n "
        + operatorNamespace
        + " create configmap "
        + grant
        + " --from-literal=namespace="
        + namespace
        + " --from-literal=name="
        + name
        + " --from-literal=appId="
        + appId
        + " && kubectl -n "
        + operatorNamespace
        + " label configmap "
        + grant
        + " "
        + AdoptionGrants.LABEL
        + "=grant)";
  }
}
