package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.cloud.SharedCvmListing;
import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.sync.decide.Desired;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.time.Instant;
import java.util.List;

/**
 * Reads an app's CVMs: from the account's shared listing while the app is at rest and the listing
 * shows exactly the CVMs its status records, directly otherwise. A listing is used only to confirm
 * what status records: an app with an id and no CVMs, a CVM missing or one not recorded is always
 * what a direct read saw.
 */
final class CvmObservation {
  private final SharedCvmListing listing;

  CvmObservation(SharedCvmListing listing) {
    this.listing = listing;
  }

  /** {@code previous}: the app's status as the pass began. */
  List<Cvm> of(PhalaCloudClient client, String appId, PhalaAppStatus previous, Desired desired) {
    if (atRest(previous, desired)) {
      List<Cvm> listed = listing.cvmsOf(client, appId, settledAt(previous));
      if (showsExactlyTheRecorded(listed, previous)) {
        return listed;
      }
    }
    return client.appCvms(appId);
  }

  /**
   * Converged on this revision and size last pass, with no step in doubt: the shared listing is
   * fresh enough.
   */
  private static boolean atRest(PhalaAppStatus status, Desired desired) {
    return status != null
        && (status.cvms == null || status.cvms.stream().allMatch(c -> c.intent == null))
        && (status.rollout == null || status.rollout.pendingReplicas == null)
        && desired.revision().equals(status.envRevision)
        && status.replicas != null
        && status.replicas == desired.replicas()
        && status.conditions != null
        && status.conditions.stream()
            .anyMatch(
                c ->
                    ConditionType.PROGRESSING.wire().equals(c.getType())
                        && "False".equals(c.getStatus()));
  }

  /**
   * A listing's pages shift while CVMs come and go (see {@link SharedCvmListing}): it can miss a
   * CVM that exists, so it is trusted only to confirm what status records, never to show a CVM
   * gone, an app without CVMs, or a CVM added. Any difference is read from the app itself.
   */
  private static boolean showsExactlyTheRecorded(List<Cvm> listed, PhalaAppStatus status) {
    List<String> shown = listed.stream().map(Cvm::vmUuid).sorted().toList();
    List<String> recorded =
        status.cvms == null ? List.of() : status.cvms.stream().map(c -> c.cvmId).sorted().toList();
    return !shown.isEmpty() && shown.equals(recorded);
  }

  /** When the app came to rest: Progressing turned False (second precision, so one more). */
  private static Instant settledAt(PhalaAppStatus status) {
    return status.conditions.stream()
        .filter(c -> ConditionType.PROGRESSING.wire().equals(c.getType()))
        .map(c -> Instant.parse(c.getLastTransitionTime()).plusSeconds(1))
        .findFirst()
        .orElse(Instant.MAX);
  }
}
