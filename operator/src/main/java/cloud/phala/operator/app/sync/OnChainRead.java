package cloud.phala.operator.app.sync;

import cloud.phala.operator.app.sync.decide.Observation.Lookup;
import cloud.phala.operator.app.sync.decide.OnChainGate;
import cloud.phala.operator.app.sync.decide.OnChainSeen;
import cloud.phala.operator.cloud.AvailableNode;
import cloud.phala.operator.cloud.PhalaApiException;
import cloud.phala.operator.cloud.PhalaCloudClient;
import cloud.phala.operator.cloud.PhalaTransportException;
import cloud.phala.operator.crd.OnChainApproval;
import cloud.phala.operator.crd.PhalaApp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads an on-chain KMS app's contract, only when the decision needs it: whether the change that
 * waits for approval is allowed now (at most once per {@link OnChainGate#POLL}), and which nodes'
 * devices it allows (when new CVMs are placed on nodes), and the chain of its KMS (once).
 */
final class OnChainRead {
  private OnChainRead() {}

  static OnChainSeen of(
      PhalaCloudClient client,
      PhalaApp app,
      String appId,
      Lookup<List<AvailableNode>> nodes,
      AppChains chains,
      Instant now) {
    if (!OnChainGate.onChain(app.getSpec())) {
      return OnChainSeen.NONE;
    }
    Lookup<Boolean> approved = Lookup.notAsked();
    if (OnChainGate.checkDue(app.getStatus(), now)) {
      OnChainApproval waiting = app.getStatus().rollout.awaitingApproval;
      approved =
          read(
              () ->
                  waiting.composeHash != null
                      ? client.onChain().composeHashAllowed(appId, waiting.composeHash)
                      : client.onChain().allowedNodeNames(appId).isEmpty());
    }
    Lookup<Optional<Set<String>>> allowed =
        nodes.value().isPresent()
            ? read(() -> client.onChain().allowedNodeNames(appId))
            : Lookup.notAsked();
    return new OnChainSeen(approved, allowed, chains.of(client, appId));
  }

  private static <T> Lookup<T> read(Supplier<T> call) {
    try {
      return Lookup.found(call.get());
    } catch (PhalaApiException | PhalaTransportException e) {
      return Lookup.missing(e.getMessage());
    }
  }
}
