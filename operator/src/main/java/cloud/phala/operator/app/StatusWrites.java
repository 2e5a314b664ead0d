package cloud.phala.operator.app;

import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ConcurrentModificationException;

/** The pass's status writes: server-side apply over the version the pass read, nothing else. */
final class StatusWrites {
  private StatusWrites() {}

  /**
   * Writes status only over the version this pass read (its resourceVersion), so a process whose
   * view is stale (another one acting on the same app wrote since) stops before its next step
   * instead of overwriting the other's intents: the status is the intent log.
   */
  static void write(PhalaApp app, PhalaAppStatus status, Context<PhalaApp> context) {
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
    app.setStatus(status);
  }
}
