package cloud.phala.operator.app;

import cloud.phala.operator.app.status.DeferrableStatus;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a PhalaApp's status only when it changed in a way that cannot wait (see {@link
 * DeferrableStatus}). A status held back is the next pass's starting point, as long as the PhalaApp
 * still shows the status it was held against; whoever writes status in between (or a restart, which
 * forgets it) makes the pass start from what the PhalaApp shows.
 */
final class StatusWrites {
  private record Held(Object against, PhalaAppStatus status) {}

  private final Map<String, Held> held = new ConcurrentHashMap<>();

  /** The status a pass over {@code app} starts from. */
  PhalaAppStatus startingPoint(PhalaApp app) {
    Held h = held.get(uid(app));
    return h != null && h.against().equals(tree(app.getStatus())) ? h.status() : app.getStatus();
  }

  /** Writes {@code status} now (an intent, before the step it records is sent). */
  void write(PhalaApp app, PhalaAppStatus status, Context<PhalaApp> context) {
    PhalaApp fresh = new PhalaApp();
    fresh.setMetadata(
        new ObjectMetaBuilder()
            .withName(app.getMetadata().getName())
            .withNamespace(app.getMetadata().getNamespace())
            .build());
    fresh.setStatus(status);
    PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(app, fresh, context);
    held.remove(uid(app));
    app.setStatus(status);
  }

  /**
   * A pass's final status: written unless the PhalaApp shows it already ({@code written}: what it
   * shows) or it may wait, then held back.
   */
  void finish(
      PhalaApp app, PhalaAppStatus written, PhalaAppStatus status, Context<PhalaApp> context) {
    if (same(written, status)) {
      held.remove(uid(app));
    } else if (DeferrableStatus.mayWait(written, status)) {
      held.put(uid(app), new Held(tree(written), status));
    } else {
      write(app, status, context);
    }
  }

  void forget(PhalaApp app) {
    held.remove(uid(app));
  }

  static boolean same(PhalaAppStatus before, PhalaAppStatus after) {
    return before != null && Objects.equals(tree(before), tree(after));
  }

  private static Object tree(PhalaAppStatus status) {
    return Serialization.jsonMapper().valueToTree(status);
  }

  private static String uid(PhalaApp app) {
    return app.getMetadata().getUid();
  }
}
