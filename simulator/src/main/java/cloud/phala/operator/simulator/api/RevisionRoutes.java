package cloud.phala.operator.simulator.api;

import cloud.phala.operator.simulator.cloud.AppRevision;
import cloud.phala.operator.simulator.cloud.World;
import cloud.phala.operator.simulator.http.Request;
import cloud.phala.operator.simulator.http.Response;
import cloud.phala.operator.simulator.http.Router;
import java.util.List;
import java.util.Map;

/**
 * An app's deployment history ({@code AppRevisionsResponse}, {@code AppRevisionDetailResponse}) and
 * redeploying one of its revisions to a CVM of the app.
 */
final class RevisionRoutes {
  private final World world;

  RevisionRoutes(World world) {
    this.world = world;
  }

  void register(Router router) {
    router
        .add("GET", "/api/v1/apps/{app_id}/revisions", this::list)
        .add("GET", "/api/v1/apps/{app_id}/revisions/{revision_id}", this::detail)
        .add("POST", "/api/v1/cvms/{cvm_id}/revisions/{revision_id}/redeploy", this::redeploy);
  }

  private Response list(Request request) {
    int page = request.intQuery("page", 1, 1, Integer.MAX_VALUE);
    int size = request.intQuery("page_size", 50, 1, 1000);
    Map.Entry<List<AppRevision>, Integer> slice =
        world.revisions(request.pathParam("app_id"), Pages.offset(page, size), size);
    int total = slice.getValue();
    return Response.ok(
        Json.object()
            .put("revisions", slice.getKey().stream().map(r -> summary(r).build()).toList())
            .put("total", total)
            .put("page", page)
            .put("page_size", size)
            .put("total_pages", Pages.count(total, size))
            .build());
  }

  /** The compose as the document (the default) or, with {@code raw_compose_file}, as text. */
  private Response detail(Request request) {
    boolean raw = request.boolQuery("raw_compose_file", false);
    AppRevision revision =
        world.revision(request.pathParam("app_id"), request.pathParam("revision_id"));
    Map<String, Object> detail = summary(revision).build();
    detail.put("compose_file", raw ? revision.compose().serialized() : revision.compose().toJson());
    detail.put("encrypted_env", revision.encryptedEnv() == null ? "" : revision.encryptedEnv());
    detail.put("user_config", "");
    return Response.ok(detail);
  }

  private Response redeploy(Request request) {
    String correlationId =
        world.redeploy(request.pathParam("cvm_id"), request.pathParam("revision_id"));
    return Response.json(
        202,
        Json.object()
            .put("status", "in_progress")
            .put("message", "Revision activation initiated; the CVM restarts to apply it")
            .put("correlation_id", correlationId)
            .build());
  }

  private static Json summary(AppRevision revision) {
    return Json.object()
        .put("revision_id", revision.revisionId())
        .put("app_id", revision.appId())
        .put("vm_uuid", revision.vmUuid().toString())
        .put("compose_hash", revision.composeHash())
        .put("created_at", revision.createdAt().toString())
        .put("trace_id", revision.traceId())
        .put("operation_type", revision.operationType())
        .put("triggered_by", OwnerRefs.user())
        .put(
            "cvm",
            Json.object()
                .put("object_type", "cvm")
                .put("vm_uuid", revision.vmUuid().toString())
                .put("app_id", revision.appId())
                .put("name", revision.cvmName()))
        .put("workspace", OwnerRefs.workspace());
  }
}
