package cloud.phala.operator.simulator.cloud;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The TEE nodes and what is left on them. A CVM goes only to a node with a free slot; a test can
 * change a node's slots to fill it up. Guarded by the world's lock.
 */
final class Nodes {
  private final CvmDirectory cvms;
  private final Map<Integer, Integer> slots = new HashMap<>();

  Nodes(CvmDirectory cvms) {
    this.cvms = cvms;
  }

  List<NodeLoad> loads() {
    return Catalog.NODES.stream().map(this::load).toList();
  }

  NodeLoad load(Placement.Node node) {
    List<Cvm> on = cvms.all().stream().filter(c -> c.placement.node().id() == node.id()).toList();
    return new NodeLoad(
        node,
        slots.getOrDefault(node.id(), node.cvmSlots()),
        on.size(),
        on.stream().mapToInt(c -> c.placement.vcpu()).sum(),
        on.stream().mapToInt(c -> c.placement.memoryMb()).sum(),
        on.stream().mapToInt(c -> c.placement.diskGb()).sum());
  }

  /**
   * The node a new CVM goes to: {@code nodeId} if named, else the first node of {@code region} (or
   * of all) with a free slot. 400 if the named node is unknown or none has room.
   */
  Placement.Node pick(Integer nodeId, String region) {
    List<Placement.Node> candidates =
        Catalog.NODES.stream()
            .filter(n -> nodeId == null || n.id() == nodeId)
            .filter(n -> region == null || n.region().equalsIgnoreCase(region))
            .toList();
    if (candidates.isEmpty()) {
      throw CloudError.plain(400, "No node is available for that region or node id");
    }
    return candidates.stream()
        .filter(n -> load(n).hasRoom())
        .findFirst()
        .orElseThrow(
            () ->
                CloudError.plain(
                    400,
                    nodeId != null
                        ? "Node " + nodeId + " has no capacity left"
                        : "No node has capacity left"));
  }

  void setSlots(int nodeId, int count) {
    Catalog.NODES.stream()
        .filter(n -> n.id() == nodeId)
        .findFirst()
        .orElseThrow(() -> CloudError.plain(404, "Node " + nodeId + " not found"));
    slots.put(nodeId, Math.max(0, count));
  }

  void reset() {
    slots.clear();
  }
}
