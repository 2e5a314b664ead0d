package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.cloud.AvailableNode;
import cloud.phala.operator.cloud.Cvm;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An on-chain KMS app without {@code spec.placement}: a replica goes to its source's node, so one
 * whose source's node has a device the app contract no longer allows (the owner removed it) is not
 * requested, and a Warning names the node. A node whose name is not known is left to Phala Cloud,
 * which answers 465 for a device the contract does not allow. Pure.
 */
final class SourceDevices {
  private SourceDevices() {}

  static List<Step> allowed(List<Step> steps, Observation seen, Notes notes) {
    if (!OnChainGate.onChain(seen.app().getSpec())
        || steps.stream().noneMatch(Step.AddReplica.class::isInstance)) {
      return steps;
    }
    Optional<Predicate<String>> allowed =
        OnChainGate.allowedDevices(seen, notes, "no new CVM is requested");
    if (allowed.isEmpty()) {
      return steps.stream().filter(s -> !(s instanceof Step.AddReplica)).toList();
    }
    List<Step> kept = new ArrayList<>();
    List<String> left = new ArrayList<>();
    for (Step step : steps) {
      Optional<String> node =
          step instanceof Step.AddReplica add ? nodeOf(add.source(), seen) : Optional.empty();
      if (node.isPresent() && !allowed.get().test(node.get())) {
        if (!left.contains(node.get())) {
          left.add(node.get());
        }
      } else {
        kept.add(step);
      }
    }
    OnChainGate.warnNotUsed(
        notes, left, "; a replica goes to its source's node, so none is requested");
    return kept;
  }

  private static Optional<String> nodeOf(String source, Observation seen) {
    Optional<Integer> nodeId =
        seen.cloud().cvms().stream()
            .filter(c -> source.equals(c.vmUuid()) || source.equals(c.id()))
            .map(Cvm::nodeId)
            .filter(java.util.Objects::nonNull)
            .findFirst();
    List<AvailableNode> nodes = seen.cloud().nodes().value().orElse(List.of());
    return nodeId.flatMap(
        id -> nodes.stream().filter(n -> n.id() == id).map(AvailableNode::name).findFirst());
  }
}
