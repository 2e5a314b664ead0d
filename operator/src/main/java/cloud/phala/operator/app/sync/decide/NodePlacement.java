package cloud.phala.operator.app.sync.decide;

import cloud.phala.operator.cloud.AvailableNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which node each new CVM goes to, spreading an app evenly: each to the allowed node with the
 * fewest of the app's CVMs that still has a free slot (the first listed on a tie). Allowed: the
 * listed node ids, or without a list every node of the region (any region without one). Pure.
 */
public final class NodePlacement {
  /** The node of each CVM that can be placed (maybe fewer than asked), and why not all could. */
  public record Assigned(List<Integer> nodes, Optional<String> problem) {}

  private NodePlacement() {}

  /**
   * @param count how many new CVMs
   * @param available the nodes Phala Cloud offers, with their free slots
   * @param listed {@code spec.placement.nodeIds}, or null for every node of {@code region}
   * @param appNodes the node of each CVM the app has (null: unknown)
   */
  public static Assigned assign(
      int count,
      List<AvailableNode> available,
      List<Integer> listed,
      String region,
      List<Integer> appNodes) {
    Map<Integer, AvailableNode> allowed = new LinkedHashMap<>();
    List<Integer> missing = new ArrayList<>();
    if (listed != null) {
      for (Integer id : listed) {
        available.stream()
            .filter(n -> n.id() == id)
            .findFirst()
            .ifPresentOrElse(n -> allowed.put(id, n), () -> missing.add(id));
      }
    } else {
      available.stream()
          .filter(n -> region == null || region.equalsIgnoreCase(n.region()))
          .forEach(n -> allowed.put(n.id(), n));
    }
    Map<Integer, Integer> load = new LinkedHashMap<>();
    Map<Integer, Integer> free = new LinkedHashMap<>();
    allowed.forEach(
        (id, n) -> {
          load.put(id, (int) appNodes.stream().filter(id::equals).count());
          free.put(id, Math.max(0, n.remainingSlots()));
        });
    List<Integer> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Optional<Integer> next =
          load.keySet().stream()
              .filter(id -> free.get(id) > 0)
              .reduce((a, b) -> load.get(b) < load.get(a) ? b : a);
      if (next.isEmpty()) {
        break;
      }
      nodes.add(next.get());
      load.merge(next.get(), 1, Integer::sum);
      free.merge(next.get(), -1, Integer::sum);
    }
    List<String> problems = new ArrayList<>();
    if (!missing.isEmpty()) {
      problems.add("spec.placement.nodeIds names nodes Phala Cloud does not offer: " + missing);
    }
    if (nodes.size() < count) {
      problems.add(
          "no allowed node has a free slot for "
              + (count - nodes.size())
              + " more CVM(s) (allowed: "
              + (allowed.isEmpty() ? "none" : List.copyOf(allowed.keySet()).toString())
              + ")");
    }
    return new Assigned(
        List.copyOf(nodes),
        problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems)));
  }
}
