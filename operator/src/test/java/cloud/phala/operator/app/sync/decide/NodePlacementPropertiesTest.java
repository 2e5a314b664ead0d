package cloud.phala.operator.app.sync.decide;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.cloud.AvailableNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Where new CVMs go, over generated node sets, capacities, lists and existing CVMs: each from a
 * seed the failure message names.
 */
class NodePlacementPropertiesTest {
  private static final int CASES = 5_000;
  private static final String[] REGIONS = {"us-west", "us-east", "eu-central"};

  @Test
  void aNewCvm_goesOnlyToAnAllowedNodeWithAFreeSlot_andAsManyAsFitArePlaced() {
    for (int seed = 0; seed < CASES; seed++) {
      Random random = new Random(seed);
      List<AvailableNode> nodes = nodes(random);
      List<Integer> listed = random.nextBoolean() ? listed(random) : null;
      String region = listed == null && random.nextBoolean() ? REGIONS[random.nextInt(3)] : null;
      List<Integer> app = appNodes(random);
      int count = random.nextInt(8);

      NodePlacement.Assigned assigned = NodePlacement.assign(count, nodes, listed, region, app);

      String where = "seed " + seed + ": " + nodes + " listed " + listed + " region " + region;
      List<AvailableNode> allowed =
          nodes.stream()
              .filter(n -> listed == null || listed.contains(n.id()))
              .filter(n -> region == null || region.equals(n.region()))
              .toList();
      for (int id : assigned.nodes()) {
        AvailableNode node = allowed.stream().filter(n -> n.id() == id).findFirst().orElse(null);
        assertThat(node).as(where + ": node " + id + " is allowed").isNotNull();
        long placedThere = assigned.nodes().stream().filter(n -> n == id).count();
        assertThat(placedThere)
            .as(where + ": node " + id + " has room")
            .isLessThanOrEqualTo(node.remainingSlots());
      }
      int room = allowed.stream().mapToInt(n -> Math.max(0, n.remainingSlots())).sum();
      assertThat(assigned.nodes()).as(where).hasSize(Math.min(count, room));
      assertThat(assigned.problem().isPresent())
          .as(where + ": a problem is reported exactly when something is missing")
          .isEqualTo(
              assigned.nodes().size() < count
                  || (listed != null
                      && listed.stream()
                          .anyMatch(id -> nodes.stream().noneMatch(n -> n.id() == id))));
    }
  }

  @Test
  void withRoomEverywhere_anAppSpreadsEvenly_overTheAllowedNodes() {
    for (int seed = 0; seed < CASES; seed++) {
      Random random = new Random(seed);
      int nodeCount = 1 + random.nextInt(5);
      List<AvailableNode> nodes = new ArrayList<>();
      for (int i = 0; i < nodeCount; i++) {
        nodes.add(new AvailableNode(i + 1, "node-" + i, REGIONS[i % 3], 100));
      }
      List<Integer> app = new ArrayList<>();
      int replicas = random.nextInt(20);
      for (int i = 0; i < replicas; i++) {
        // one CVM at a time, as passes add them
        app.addAll(NodePlacement.assign(1, nodes, null, null, app).nodes());
      }

      long[] perNode =
          nodes.stream().mapToLong(n -> app.stream().filter(id -> id == n.id()).count()).toArray();
      long max = java.util.Arrays.stream(perNode).max().orElse(0);
      long min = java.util.Arrays.stream(perNode).min().orElse(0);
      assertThat(max - min).as("seed " + seed + ": " + app).isLessThanOrEqualTo(1);
    }
  }

  private static List<AvailableNode> nodes(Random random) {
    List<AvailableNode> nodes = new ArrayList<>();
    int count = random.nextInt(5);
    for (int i = 0; i < count; i++) {
      nodes.add(
          new AvailableNode(
              i + 1, "node-" + (i + 1), REGIONS[random.nextInt(3)], random.nextInt(4)));
    }
    return nodes;
  }

  private static List<Integer> listed(Random random) {
    List<Integer> ids = new ArrayList<>();
    int count = 1 + random.nextInt(3);
    while (ids.size() < count) {
      int id = 1 + random.nextInt(6);
      if (!ids.contains(id)) {
        ids.add(id);
      }
    }
    return ids;
  }

  private static List<Integer> appNodes(Random random) {
    List<Integer> app = new ArrayList<>();
    int count = random.nextInt(6);
    for (int i = 0; i < count; i++) {
      app.add(1 + random.nextInt(6));
    }
    return app;
  }
}
