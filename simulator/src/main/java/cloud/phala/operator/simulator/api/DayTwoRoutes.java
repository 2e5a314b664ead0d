package cloud.phala.operator.simulator.api;

import cloud.phala.operator.simulator.cloud.CloudError;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.cloud.NodeLoad;
import cloud.phala.operator.simulator.cloud.OsImage;
import cloud.phala.operator.simulator.cloud.OsImages;
import cloud.phala.operator.simulator.cloud.Resize;
import cloud.phala.operator.simulator.cloud.World;
import cloud.phala.operator.simulator.http.Request;
import cloud.phala.operator.simulator.http.Response;
import cloud.phala.operator.simulator.http.Router;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Day-two operations: the OS image catalogue and upgrades, resizing, visibility flags, and the
 * workspace's nodes. Shapes follow the official SDK's zod schemas where the OpenAPI has none.
 */
final class DayTwoRoutes {
  private final World world;
  private final LegacyCvmJson legacyJson;

  DayTwoRoutes(World world, CvmJson json) {
    this.world = world;
    this.legacyJson = new LegacyCvmJson(json);
  }

  void register(Router router) {
    router
        .add("GET", "/api/v1/os-images", this::osImages)
        .add("GET", "/api/v1/workspaces/{slug}/nodes", this::nodes)
        .add("GET", "/api/v1/cvms/{cvm_id}/available-os-images", this::availableOsImages)
        .add("PATCH", "/api/v1/cvms/{cvm_id}/os-image", this::upgrade)
        .add("PATCH", "/api/v1/cvms/{cvm_id}/resources", this::resize)
        .add("PATCH", "/api/v1/cvms/{cvm_id}/visibility", this::visibility);
  }

  private Response osImages(Request request) {
    int page = request.intQuery("page", 1, 1, Integer.MAX_VALUE);
    int size = request.intQuery("page_size", 100, 1, 100);
    List<OsImage> matching =
        request.query("is_dev").isEmpty()
            ? OsImages.ALL
            : OsImages.ALL.stream()
                .filter(i -> i.dev() == request.boolQuery("is_dev", false))
                .toList();
    List<Map<String, Object>> items =
        matching.stream()
            .skip((long) Pages.offset(page, size))
            .limit(size)
            .map(
                i ->
                    Json.object()
                        .put("name", i.name())
                        .put("slug", i.slug())
                        .put("version", i.versionText())
                        .put("os_image_hash", i.hash())
                        .put("is_dev", i.dev())
                        .put("requires_gpu", false)
                        .build())
            .toList();
    return Response.ok(
        Json.object()
            .put("items", items)
            .put("total", matching.size())
            .put("page", page)
            .put("page_size", size)
            .put("pages", Pages.count(matching.size(), size))
            .build());
  }

  /** {@code id} is the node id the available-nodes answer calls {@code teepod_id}. */
  private Response nodes(Request request) {
    if (!"simulator".equals(request.pathParam("slug"))) {
      throw CloudError.plain(404, "Workspace not found");
    }
    int page = request.intQuery("page", 1, 1, Integer.MAX_VALUE);
    int size = request.intQuery("page_size", 30, 1, 100);
    List<NodeLoad> all = world.nodes();
    List<Map<String, Object>> items =
        all.stream()
            .skip((long) Pages.offset(page, size))
            .limit(size)
            .map(
                n ->
                    Json.object()
                        .put("object_type", "node")
                        .put("id", n.node().id())
                        .put("name", n.node().name())
                        .put("region", n.node().region())
                        .put("device_id", world.deviceId())
                        .put("ppid", null)
                        .put("status", "ONLINE")
                        .put("version", CvmJson.OS_VERSION + " (simulated)")
                        .build())
            .toList();
    return Response.ok(
        Json.object()
            .put("items", items)
            .put("total", all.size())
            .put("page", page)
            .put("page_size", size)
            .put("pages", Pages.count(all.size(), size))
            .build());
  }

  /** Grouped by version, newest first; each version a production and a development variant. */
  private Response availableOsImages(Request request) {
    CvmSnapshot cvm = world.get(request.pathParam("cvm_id"));
    Map<List<Integer>, Map<String, Object>> byVersion = new LinkedHashMap<>();
    for (OsImage image : world.availableOsImages(cvm.vmUuid().toString())) {
      Map<String, Object> entry =
          byVersion.computeIfAbsent(
              image.version(),
              v -> Json.object().put("version", v).put("prod", null).put("dev", null).build());
      entry.put(
          image.dev() ? "dev" : "prod",
          Json.object()
              .put("name", image.name())
              .put("slug", image.slug())
              .put("os_image_hash", image.hash())
              .put("is_current", image.equals(cvm.osImage()))
              .build());
    }
    return Response.ok(List.copyOf(byVersion.values()));
  }

  private Response upgrade(Request request) {
    JsonNode body = request.jsonObject("os_image_name");
    String correlationId =
        world.upgradeOsImage(request.pathParam("cvm_id"), Bodies.text(body, "os_image_name"));
    return inProgress("OS image update initiated; the CVM restarts onto it", correlationId);
  }

  private Response resize(Request request) {
    JsonNode body = request.jsonObject();
    CvmSnapshot cvm =
        world.resize(
            request.pathParam("cvm_id"),
            new Resize(
                Bodies.text(body, "instance_type"),
                Bodies.integer(body, "vcpu"),
                Bodies.integer(body, "memory"),
                Bodies.integer(body, "disk_size"),
                Bodies.flag(body, "allow_restart")));
    return inProgress("Resource update initiated", cvm.correlationId());
  }

  /** Answers the CVM in the 2025-10-28 detail shape, whatever the version asked. */
  private Response visibility(Request request) {
    JsonNode body = request.jsonObject("public_logs", "public_sysinfo");
    JsonNode tcb = body.get("public_tcbinfo");
    CvmSnapshot cvm =
        world.setVisibility(
            request.pathParam("cvm_id"),
            Bodies.flag(body, "public_logs"),
            Bodies.flag(body, "public_sysinfo"),
            tcb == null || tcb.isNull() ? null : tcb.asBoolean());
    return Response.ok(legacyJson.basicInfo(cvm));
  }

  private static Response inProgress(String message, String correlationId) {
    return Response.json(
        202,
        Json.object()
            .put("status", "in_progress")
            .put("message", message)
            .put("correlation_id", correlationId)
            .build());
  }
}
