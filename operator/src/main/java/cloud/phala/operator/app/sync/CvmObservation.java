package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.cloud.SharedCvmListing;
import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.app.status.ConditionSet;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.time.Instant;
import java.util.List;

/**
 * Reads an app's CVMs: from the account's shared listing while the app is at rest, directly while
 * it changes; and adopts an app that a pass created but died before recording.
 */
final class CvmObservation {
  private final OperatorConfig config;
  private final SharedCvmListing listing;

  CvmObservation(OperatorConfig config, SharedCvmListing listing) {
    this.config = config;
    this.listing = listing;
  }

  List<Cvm> cvms(
      PhalaCloudClient client, StatusDraft draft, String name, PhalaApp app, Desired desired) {
    if (draft.appId() != null) {
      return atRest(app, desired)
          ? listing.cvmsOf(client, draft.appId(), settledAt(app.getStatus()))
          : client.appCvms(draft.appId());
    }
    try {
      Cvm existing = client.getCvm(name);
      draft.adopt(existing.appId(), config.kmsId().orElseGet(() -> client.kmsList().get(0).id()));
      return client.appCvms(existing.appId());
    } catch (PhalaApiException e) {
      if (e.isNotFound()) {
        return List.of();
      }
      throw e;
    }
  }

  /**
   * Converged on this revision and size last pass, with no step in doubt: the shared listing is
   * fresh enough.
   */
  private static boolean atRest(PhalaApp app, Desired desired) {
    PhalaAppStatus status = app.getStatus();
    return status != null
        && (status.cvms == null || status.cvms.stream().allMatch(c -> c.intent == null))
        && (status.rollout == null || status.rollout.pendingReplicas == null)
        && desired.revision().equals(status.envRevision)
        && status.replicas != null
        && status.replicas == desired.replicas()
        && status.conditions != null
        && status.conditions.stream()
            .anyMatch(
                c -> ConditionSet.PROGRESSING.equals(c.getType()) && "False".equals(c.getStatus()));
  }

  /** When the app came to rest: Progressing turned False (second precision, so one more). */
  private static Instant settledAt(PhalaAppStatus status) {
    return status.conditions.stream()
        .filter(c -> ConditionSet.PROGRESSING.equals(c.getType()))
        .map(c -> Instant.parse(c.getLastTransitionTime()).plusSeconds(1))
        .findFirst()
        .orElse(Instant.MAX);
  }
}
