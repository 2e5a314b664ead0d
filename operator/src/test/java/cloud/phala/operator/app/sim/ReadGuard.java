package cloud.phala.operator.app.sim;

import cloud.phala.operator.app.plan.Action;
import cloud.phala.operator.app.sync.PassHook;

/**
 * The test double's rule that only observe reads Phala Cloud: from the moment a pass reports {@link
 * PassHook.Point#OBSERVED} until it returns, any read (a GET) fails the history. Passes the pass's
 * other points on to {@code next}.
 */
final class ReadGuard implements PassHook {
  private final PassHook next;
  private boolean observed;

  ReadGuard(PassHook next) {
    this.next = next;
  }

  /** A pass begins: it observes first. */
  void passBegins() {
    observed = false;
  }

  /** Called for each request the pass's client sends. */
  void request(String method, String path) {
    if (observed && "GET".equals(method)) {
      throw new Violation("a pass read GET " + path + " after its observe phase");
    }
  }

  @Override
  public void at(Point point, Action step, String revision) {
    if (point == Point.OBSERVED) {
      observed = true;
    }
    next.at(point, step, revision);
  }
}
