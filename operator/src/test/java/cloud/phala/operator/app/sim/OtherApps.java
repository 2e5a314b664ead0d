package cloud.phala.operator.app.sim;

import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.cloud.ProvisionRequest;
import cloud.phala.operator.simulator.cloud.ProvisionResult;
import cloud.phala.operator.simulator.cloud.World;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The account's other apps, which the operator does not manage: their CVMs are made and deleted in
 * the simulator's world directly (no request, so cheap, and nothing the operator could see but
 * through its reads). They fill the account past one listing page (100 CVMs), so the operator's
 * shared listing reads several pages; and a CVM of theirs deleted or created between two page reads
 * shifts the pages as {@code ListingShiftIT} does on the real stack. The invariants look only at
 * the apps the history made through the operator ({@link #ours()}).
 */
final class OtherApps {
  private static final String PAGINATED = "/cvms/paginated";

  private final World world;
  private final Set<String> appIds = new HashSet<>();
  private final List<Boolean> shifts = new ArrayList<>();
  private int made;

  OtherApps(World world) {
    this.world = world;
  }

  /** A new app of {@code count} CVMs, each with an empty env, booting as any CVM does. */
  void make(int count) {
    ObjectNode compose = JsonNodeFactory.instance.objectNode();
    compose.put("docker_compose_file", "services:\n  other:\n    image: nginx\n");
    ProvisionResult provisioned =
        world.provision(
            new ProvisionRequest(
                "other-" + ++made,
                compose,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of()));
    CvmSnapshot first = world.commit(provisioned.appId(), provisioned.composeHash(), "", List.of());
    appIds.add(first.appId());
    for (int i = 1; i < count; i++) {
      world.replicate(first.vmUuid().toString(), "", null, null);
    }
  }

  /**
   * The next read of a listing page after the first deletes the other apps' first CVM on the pages
   * before it ({@code delete}), or makes one more at the end: between two page reads.
   */
  void shiftNextListing(boolean delete) {
    shifts.add(delete);
  }

  /** Called for each request the operator sends, before Phala Cloud answers it. */
  void request(String method, String path) {
    if (shifts.isEmpty() || !"GET".equals(method) || !path.startsWith(PAGINATED)) {
      return;
    }
    int page = page(path);
    if (page < 2) {
      return;
    }
    boolean delete = shifts.remove(0);
    if (!delete) {
      make(1);
      return;
    }
    Map.Entry<List<CvmSnapshot>, Integer> before = world.page(0, (page - 1) * 100);
    before.getKey().stream()
        .filter(c -> appIds.contains(c.appId()))
        .findFirst()
        .ifPresent(c -> world.delete(c.vmUuid().toString()));
  }

  /** Whether {@code appId} is one of the other apps. */
  boolean isOther(String appId) {
    return appIds.contains(appId);
  }

  /** The ids of the apps the history made through the operator (the world's, but the others'). */
  List<String> ourAppIds() {
    return world.appIds().stream().filter(id -> !appIds.contains(id)).sorted().toList();
  }

  /** The CVMs of the apps the history made through the operator, in creation order. */
  List<CvmSnapshot> ours() {
    List<String> ids = ourAppIds();
    if (ids.size() == 1) {
      return world.listApp(ids.get(0));
    }
    List<CvmSnapshot> out = new ArrayList<>();
    ids.forEach(id -> out.addAll(world.listApp(id)));
    out.sort(Comparator.comparingInt(CvmSnapshot::id));
    return out;
  }

  private static int page(String path) {
    for (String part : path.substring(path.indexOf('?') + 1).split("&")) {
      if (part.startsWith("page=")) {
        return Integer.parseInt(part.substring(5));
      }
    }
    return 1;
  }
}
