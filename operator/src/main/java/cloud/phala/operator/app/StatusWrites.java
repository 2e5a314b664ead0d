package cloud.phala.operator.app;

import cloud.phala.operator.app.status.DeferrableStatus;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ConcurrentModificationException;
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

  /**
   * Writes {@code status} now (an intent, before the step it records is sent), only over the
   * version this pass read (its resourceVersion): a process whose view is stale (another one acting
   * on the same app wrote since) stops before its next step instead of overwriting the other's
   * intents, since the status is the intent log.
   */
  void write(PhalaApp app, PhalaAppStatus status, Context<PhalaApp> context) {
    PhalaApp fresh = new PhalaApp();
    fresh.setMetadata(
        new ObjectMetaBuilder()
            .withName(app.getMetadata().getName())
            .withNamespace(app.getMetadata().getNamespace())
            .withResourceVersion(app.getMetadata().getResourceVersion())
            .build());
    fresh.setStatus(status);
    PhalaApp written;
    try {
      written =
          context
              .getClient()
              .resource(fresh)
              .subresource("status")
              .patch(
                  new PatchContext.Builder()
                      .withForce(true)
                      .withFieldManager(context.getControllerConfiguration().fieldManager())
                      .withPatchType(PatchType.SERVER_SIDE_APPLY)
                      .build());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new ConcurrentModificationException(
            "PhalaApp "
                + app.getMetadata().getNamespace()
                + "/"
                + app.getMetadata().getName()
                + " changed since this pass read it");
      }
      throw e;
    }
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(app), written, app);
    app.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
    held.remove(uid(app));
    app.setStatus(status);
  }

  /**
   * A pass's final status: written unless the PhalaApp shows it already ({@code written}: what it
   * shows) or it may wait, then held back; {@code onWrite} runs once the PhalaApp shows it.
   */
  void finish(
      PhalaApp app,
      PhalaAppStatus written,
      PhalaAppStatus status,
      Context<PhalaApp> context,
      Runnable onWrite) {
    if (same(written, status)) {
      held.remove(uid(app));
      onWrite.run();
    } else if (DeferrableStatus.mayWait(written, status)) {
      held.put(uid(app), new Held(tree(written), status));
    } else {
      write(app, status, context);
      onWrite.run();
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
