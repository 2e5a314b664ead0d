package cloud.phala.operator.app.sim;

import cloud.phala.operator.app.plan.Action;
import cloud.phala.operator.app.sync.PassHook;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.cloud.World;
import java.util.HashSet;
import java.util.Set;

/**
 * The invariant that busy CVMs are never removed or restarted: no update ({@code PATCH
 * /cvms/{id}/envs}), compose update ({@code PATCH /cvms/{id}/compose_file}), redeploy or delete
 * reaches Phala Cloud for a CVM that had an operation in progress when the pass observed it. Passes
 * the pass's points on to {@code next}.
 *
 * <p>The CVMs busy at {@link PassHook.Point#OBSERVED} stand for those the observe phase saw busy.
 * They are a safe under-approximation: between the observe phase's reads and {@code OBSERVED} only
 * the CVM lifecycle timers act (the operator sends nothing before it has observed; the history's
 * steps fall between passes), and a timer only ever ends an operation, making a busy CVM idle. So
 * every CVM busy at {@code OBSERVED} was busy when read, and the guard never fails a pass for a CVM
 * it saw idle. A CVM the pass itself makes busy is not covered.
 */
final class BusyGuard implements PassHook {
  private final World world;
  private final OtherApps others;
  private final PassHook next;
  private final MinReadyGuard minReady;
  private final Set<String> busy = new HashSet<>();

  BusyGuard(World world, OtherApps others, PassHook next) {
    this(world, others, next, null);
  }

  /** {@code minReady}: the minReadySeconds floor, checked on the same requests (null: none). */
  BusyGuard(World world, OtherApps others, PassHook next, MinReadyGuard minReady) {
    this.world = world;
    this.others = others;
    this.next = next;
    this.minReady = minReady;
  }

  /** A pass begins: nothing observed yet. */
  void passBegins() {
    busy.clear();
  }

  /** Called for each request the pass's client sends, before Phala Cloud sees it. */
  void request(String method, String path) {
    if ((busy.isEmpty() && minReady == null) || !restartsOrRemoves(method, path)) {
      return;
    }
    String id = path.substring("/cvms/".length()).split("[/?]", 2)[0];
    CvmSnapshot cvm;
    try {
      cvm = world.get(id);
    } catch (RuntimeException gone) {
      return;
    }
    if (minReady != null) {
      minReady.takingDown(cvm);
    }
    if (busy.contains(cvm.vmUuid().toString())) {
      throw new Violation(
          "a pass sent "
              + method
              + " "
              + path.replaceFirst("\\?.*", "")
              + " for CVM "
              + cvm.vmUuid()
              + ", which was busy when the pass observed it");
    }
  }

  @Override
  public void at(Point point, Action step, String revision) {
    if (point == Point.OBSERVED) {
      if (minReady != null) {
        minReady.observed();
      }
      busy.clear();
      for (CvmSnapshot cvm : others.ours()) {
        if (cvm.inProgress()) {
          busy.add(cvm.vmUuid().toString());
        }
      }
    }
    next.at(point, step, revision);
  }

  private static boolean restartsOrRemoves(String method, String path) {
    if (!path.startsWith("/cvms/")) {
      return false;
    }
    return switch (method) {
      case "DELETE" -> true;
      case "PATCH" -> path.endsWith("/envs") || path.endsWith("/compose_file");
      case "POST" -> path.endsWith("/redeploy");
      default -> false;
    };
  }
}
