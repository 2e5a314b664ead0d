package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.sync.decide.Desired;
import cloud.phala.operator.app.sync.decide.Observation.Lookup;
import cloud.phala.operator.app.sync.decide.OnChainGate;
import cloud.phala.operator.cloud.AvailableNode;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaTransportException;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import java.util.List;
import java.util.Objects;

/**
 * Reads the nodes new CVMs can go to (with the OS images they boot), only when the decision needs
 * them: a first deploy that names an OS image, or an app with {@code spec.placement} (or on an
 * on-chain KMS, whose new CVMs need a node with an allowed device) that may add a CVM (fewer CVMs
 * than replicas, or a rollout with surge under way).
 */
final class PlacementRead {
  private PlacementRead() {}

  static Lookup<List<AvailableNode>> of(
      PhalaCloudClient client, PhalaApp app, List<Cvm> listed, Desired desired) {
    boolean deployOnImage = listed.isEmpty() && desired.osImage() != null;
    boolean placing =
        (app.getSpec().placement != null || OnChainGate.onChain(app.getSpec()))
            && mayAdd(app.getStatus(), listed, desired);
    if (!deployOnImage && !placing) {
      return Lookup.notAsked();
    }
    try {
      return Lookup.found(client.availableNodes());
    } catch (PhalaApiException | PhalaTransportException e) {
      return Lookup.missing(e.getMessage());
    }
  }

  private static boolean mayAdd(PhalaAppStatus status, List<Cvm> listed, Desired desired) {
    if (listed.size() < desired.replicas()) {
      return true;
    }
    boolean outdated =
        status == null
            || status.cvms == null
            || status.cvms.size() != listed.size()
            || status.cvms.stream()
                .anyMatch(c -> !Objects.equals(c.envRevision, desired.revision()));
    return desired.rollout().maxSurge() > 0 && outdated;
  }
}
