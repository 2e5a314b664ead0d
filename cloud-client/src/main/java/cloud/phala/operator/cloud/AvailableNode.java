package cloud.phala.operator.cloud;

/**
 * A node new CVMs can go to, from {@code GET /teepods/available}: its id (what provision calls
 * {@code teepod_id} and replicas {@code node_id}), name, region and how many more CVMs it takes.
 */
public record AvailableNode(int id, String name, String region, int remainingSlots) {}
