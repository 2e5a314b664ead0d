package cloud.phala.operator.simulator.api;

import cloud.phala.operator.simulator.cloud.Catalog;
import cloud.phala.operator.simulator.cloud.CloudError;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.cloud.KmsAuthority;
import cloud.phala.operator.simulator.cloud.NodeLoad;
import cloud.phala.operator.simulator.cloud.OsImages;
import cloud.phala.operator.simulator.cloud.World;
import cloud.phala.operator.simulator.http.Request;
import cloud.phala.operator.simulator.http.Response;
import cloud.phala.operator.simulator.http.Router;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The account, the catalogue (instance types, nodes), the KMS, apps and batch status. */
final class AccountRoutes {
  private final World world;
  private final CvmJson json;

  AccountRoutes(World world, CvmJson json) {
    this.world = world;
    this.json = json;
  }

  void register(Router router) {
    router
        .add("GET", "/api/v1/auth/me", this::me)
        .add("GET", "/api/v1/instance-types", r -> Response.ok(Map.of("result", List.of(family()))))
        .add("GET", "/api/v1/instance-types/{family}", this::instanceFamily)
        .add("GET", "/api/v1/teepods/available", this::availableNodes)
        .add("GET", "/api/v1/kms", this::kmsList)
        .add("GET", "/api/v1/kms/{kms_id}", this::kmsInfo)
        .add("GET", "/api/v1/kms/{kms_id}/pubkey/{app_id}", this::envPubkey)
        .add("GET", "/api/v1/apps", this::apps)
        .add("POST", "/api/v1/status/batch", this::statusBatch);
  }

  private Response me(Request request) {
    if (request.version().legacy()) {
      return Response.ok(
          Json.object()
              .put("username", "simulator")
              .put("email", "simulator@phala.local")
              .put("credits", 1000)
              .put("granted_credits", 0)
              .put("avatar", "")
              .put("team_name", "Simulator")
              .put("team_tier", "pro")
              .build());
    }
    return Response.ok(
        Json.object()
            .put(
                "user",
                Json.object()
                    .put("username", "simulator")
                    .put("email", "simulator@phala.local")
                    .put("role", "user")
                    .put("avatar", "")
                    .put("email_verified", true)
                    .put("totp_enabled", false)
                    .put("has_backup_codes", false)
                    .put("flag_has_password", true))
            .put(
                "workspace",
                Json.object()
                    .put("id", "wks_simulator")
                    .put("name", "Simulator")
                    .put("slug", "simulator")
                    .put("tier", "pro")
                    .put("role", "owner")
                    .put("avatar", null))
            .put(
                "credits",
                Json.object()
                    .put("balance", "1000.00")
                    .put("granted_balance", "0.00")
                    .put("is_post_paid", false)
                    .put("outstanding_amount", "0.00"))
            .build());
  }

  private Map<String, Object> family() {
    List<Map<String, Object>> items =
        Catalog.INSTANCE_TYPES.stream()
            .map(
                t ->
                    Json.object()
                        .put("id", t.id())
                        .put("name", t.id())
                        .put("description", t.description())
                        .put("vcpu", t.vcpu())
                        .put("memory_mb", t.memoryMb())
                        .put("hourly_rate", t.hourlyRate())
                        .put("requires_gpu", false)
                        .put("default_disk_size_gb", Catalog.DEFAULT_DISK_GB)
                        .put("family", "tdx")
                        .build())
            .toList();
    return Json.object().put("name", "tdx").put("items", items).put("total", items.size()).build();
  }

  private Response instanceFamily(Request request) {
    if (!"tdx".equals(request.pathParam("family"))) {
      throw CloudError.plain(404, "Instance type family not found");
    }
    return Response.ok(family());
  }

  /** Each node with what is left on it and the OS images it boots. */
  private Response availableNodes(Request request) {
    List<Map<String, Object>> images =
        OsImages.ALL.stream()
            .map(
                i ->
                    Json.object()
                        .put("name", i.name())
                        .put("is_dev", i.dev())
                        .put("version", i.version())
                        .put("os_image_hash", i.hash())
                        .build())
            .toList();
    List<Map<String, Object>> nodes =
        world.nodes().stream()
            .map(
                n ->
                    Json.object()
                        .put("teepod_id", n.node().id())
                        .put("name", n.node().name())
                        .put("listed", true)
                        .put("resource_score", n.hasRoom() ? 1.0 : 0.0)
                        .put("remaining_vcpu", Math.max(0, NodeLoad.VCPU - n.usedVcpu()))
                        .put("remaining_memory", Math.max(0, NodeLoad.MEMORY_MB - n.usedMemoryMb()))
                        .put("remaining_cvm_slots", n.remainingSlots())
                        .put("images", images)
                        .put("support_onchain_kms", false)
                        .put("fmspc", "90c06f000000")
                        .put("device_id", world.deviceId())
                        .put("region_identifier", n.node().region())
                        .put("default_kms", world.kms().id())
                        .put("kms_list", List.of(world.kms().id()))
                        .build())
            .toList();
    return Response.ok(
        Json.object()
            .put("tier", "pro")
            .put(
                "capacity",
                Json.object()
                    .put("max_instances", 10000)
                    .put("max_vcpu", 100000)
                    .put("max_memory", 100000000)
                    .put("max_disk", 100000000))
            .put("nodes", nodes)
            .put("kms_list", List.of(json.kmsInfo()))
            .build());
  }

  private Response kmsList(Request request) {
    int page = request.intQuery("page", 1, 1, Integer.MAX_VALUE);
    int size = request.intQuery("page_size", 20, 1, 100);
    boolean onchainOnly = request.query("is_onchain").map(Boolean::parseBoolean).orElse(false);
    List<Map<String, Object>> all = new java.util.ArrayList<>();
    if (!onchainOnly) {
      all.add(json.kmsInfo());
    }
    KmsAuthority.CHAINS.forEach(chain -> all.add(json.kmsInfo(chain)));
    List<Map<String, Object>> items = page > 1 ? List.of() : all;
    return Response.ok(
        Json.object()
            .put("items", items)
            .put("total", all.size())
            .put("page", page)
            .put("page_size", size)
            .put("pages", 1)
            .build());
  }

  private Response kmsInfo(Request request) {
    if (!world.kms().answersTo(request.pathParam("kms_id"))) {
      throw CloudError.plain(404, "KMS not found");
    }
    String asked = request.pathParam("kms_id");
    return Response.ok(
        json.kmsInfo(
            KmsAuthority.CHAINS.stream()
                .filter(c -> asked.equals(KmsAuthority.slug(c)) || asked.equals(world.kms().id(c)))
                .findFirst()
                .orElse(null)));
  }

  /**
   * {@code {public_key, signature}} and nothing else: the official SDK 0.2.9 parses it strictly.
   * Clients asking for API 2026-06-23 or later also get the timestamped (v1) signature.
   */
  private Response envPubkey(Request request) {
    boolean withV1 = request.header("X-Phala-Version").orElse("").compareTo("2026-06-23") >= 0;
    Long timestamp = withV1 ? world.time().clock().instant().getEpochSecond() : null;
    return Response.ok(
        world.envPubkey(request.pathParam("kms_id"), request.pathParam("app_id"), timestamp));
  }

  private Response apps(Request request) {
    int page = request.intQuery("page", 1, 1, Integer.MAX_VALUE);
    int size = request.intQuery("page_size", 50, 1, 100);
    Map<String, List<CvmSnapshot>> byApp = new LinkedHashMap<>();
    world
        .list()
        .forEach(c -> byApp.computeIfAbsent(c.appId(), k -> new java.util.ArrayList<>()).add(c));
    List<Map<String, Object>> apps =
        byApp.entrySet().stream()
            .skip((long) (page - 1) * size)
            .limit(size)
            .map(
                e ->
                    Json.object()
                        // HashedId[projects] in the OpenAPI: prj_...
                        .put("id", "prj_" + e.getKey())
                        .put("name", e.getValue().get(0).name())
                        .put("app_id", e.getKey())
                        .put("created_at", e.getValue().get(0).createdAt().toString())
                        .put("kms_type", e.getValue().get(0).kmsType())
                        .put("current_cvm", json.info(e.getValue().get(0)))
                        .put("cvms", e.getValue().stream().map(json::info).toList())
                        .put("cvm_count", e.getValue().size())
                        .build())
            .toList();
    return Response.ok(
        Json.object()
            .put("dstack_apps", apps)
            .put("page", page)
            .put("page_size", size)
            .put("total", byApp.size())
            .put("total_pages", Math.max(1, (byApp.size() + size - 1) / size))
            .build());
  }

  private Response statusBatch(Request request) {
    JsonNode body = request.jsonObject("vm_uuids");
    Map<String, Object> out = new LinkedHashMap<>();
    for (JsonNode uuid : body.get("vm_uuids")) {
      world.list().stream()
          .filter(
              c ->
                  c.vmUuid().toString().equals(uuid.asText())
                      || c.vmUuidWithoutDashes().equals(uuid.asText()))
          .findFirst()
          .ifPresent(
              c ->
                  out.put(
                      uuid.asText(),
                      Json.object()
                          .put("vm_uuid", c.vmUuid().toString())
                          .put("status", c.status())
                          .put("uptime", json.state(c).get("uptime"))
                          .put("in_progress", c.inProgress())
                          .put("boot_progress", json.state(c).get("boot_progress"))
                          .put("boot_error", c.bootError())
                          .put("operation_type", c.inProgress() ? "update" : null)
                          .put(
                              "operation_started_at",
                              c.progressStartedAt() == null
                                  ? null
                                  : c.progressStartedAt().toString())
                          .put("correlation_id", c.correlationId())
                          .build()));
    }
    return Response.ok(out);
  }
}
