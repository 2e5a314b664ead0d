package cloud.phala.operator.cloud;

import java.util.List;

/**
 * A node new CVMs can go to, from {@code GET /teepods/available}: its id (what provision calls
 * {@code teepod_id} and replicas {@code node_id}), name, region, how many more CVMs it takes and
 * the names of the OS images it boots.
 */
public record AvailableNode(
    int id, String name, String region, int remainingSlots, List<String> images) {

  /** A node whose images are not known. */
  public AvailableNode(int id, String name, String region, int remainingSlots) {
    this(id, name, region, remainingSlots, List.of());
  }
}
