package cloud.phala.operator.simulator.api;

import cloud.phala.operator.simulator.attest.Attestations;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.cloud.World;
import cloud.phala.operator.simulator.http.Request;
import cloud.phala.operator.simulator.http.Response;
import cloud.phala.operator.simulator.http.Router;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Reading CVMs: one, all, a page, an app's, and their network, compose and attestation. */
final class ReadRoutes {
  private final World world;
  private final CvmJson json;
  private final LegacyCvmJson legacyJson;
  private final Attestations attestations;

  ReadRoutes(World world, CvmJson json, Attestations attestations) {
    this.world = world;
    this.attestations = attestations;
    this.json = json;
    this.legacyJson = new LegacyCvmJson(json);
  }

  void register(Router router) {
    router
        .add("GET", "/api/v1/cvms", this::list)
        .add("GET", "/api/v1/cvms/paginated", this::page)
        .add("GET", "/api/v1/cvms/{cvm_id}", this::get)
        .add("GET", "/api/v1/cvms/{cvm_id}/state", new StateStream(world, json)::handle)
        .add("GET", "/api/v1/cvms/{cvm_id}/network", this::network)
        .add("GET", "/api/v1/cvms/{cvm_id}/compose_file", this::composeFile)
        .add("GET", "/api/v1/cvms/{cvm_id}/pre-launch-script", this::preLaunchScript)
        .add("GET", "/api/v1/cvms/{cvm_id}/attestation", this::attestation)
        .add("GET", "/api/v1/apps/{app_id}/cvms", this::appCvms);
  }

  private Response get(Request request) {
    CvmSnapshot cvm = world.get(request.pathParam("cvm_id"));
    return Response.ok(request.version().legacy() ? legacyJson.basicInfo(cvm) : json.detail(cvm));
  }

  private Response list(Request request) {
    return Response.ok(world.list().stream().map(itemRenderer(request)).toList());
  }

  private Response appCvms(Request request) {
    return Response.ok(
        world.listApp(request.pathParam("app_id")).stream().map(itemRenderer(request)).toList());
  }

  /** Pages in creation order; {@code pages} is at least 1, as the real API reports it. */
  private Response page(Request request) {
    int page = request.intQuery("page", 1, 1, Integer.MAX_VALUE);
    int size = request.intQuery("page_size", 30, 1, 100);
    Map.Entry<List<CvmSnapshot>, Integer> slice = world.page(Pages.offset(page, size), size);
    int total = slice.getValue();
    return Response.ok(
        Json.object()
            .put("items", slice.getKey().stream().map(itemRenderer(request)).toList())
            .put("total", total)
            .put("page", page)
            .put("page_size", size)
            .put("pages", Pages.count(total, size))
            .build());
  }

  private Function<CvmSnapshot, Map<String, Object>> itemRenderer(Request request) {
    return request.version().legacy() ? legacyJson::hosted : json::info;
  }

  private Response network(Request request) {
    CvmSnapshot cvm = world.get(request.pathParam("cvm_id"));
    boolean online = "running".equals(cvm.status()) && !cvm.inProgress();
    return Response.ok(
        Json.object()
            .put("is_online", online)
            .put("is_public", true)
            .put("error", null)
            .put("internal_ip", online ? "10.0.3." + (cvm.id() % 250 + 2) : null)
            .put("latest_handshake", online ? cvm.runningSince().toString() : null)
            .put("public_urls", json.info(cvm).get("endpoints"))
            .build());
  }

  private Response composeFile(Request request) {
    return Response.ok(world.get(request.pathParam("cvm_id")).compose().toJson());
  }

  private Response preLaunchScript(Request request) {
    return Response.ok(world.get(request.pathParam("cvm_id")).compose().preLaunchScript());
  }

  private Response attestation(Request request) {
    return Response.ok(attestations.answer(world.get(request.pathParam("cvm_id"))));
  }
}
