package cloud.phala.operator.simulator.api;

import cloud.phala.operator.simulator.cloud.ProvisionRequest;
import cloud.phala.operator.simulator.cloud.ProvisionResult;
import cloud.phala.operator.simulator.cloud.World;
import cloud.phala.operator.simulator.http.Request;
import cloud.phala.operator.simulator.http.Response;
import cloud.phala.operator.simulator.http.Router;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** Two-phase deploy: {@code POST /cvms/provision}, {@code POST /cvms}, and app id prediction. */
final class DeployRoutes {
  private final World world;
  private final CvmJson json;

  DeployRoutes(World world, CvmJson json) {
    this.world = world;
    this.json = json;
  }

  void register(Router router) {
    router
        .add("GET", "/api/v1/kms/phala/next_app_id", this::nextAppIds)
        .add("POST", "/api/v1/cvms/provision", this::provision)
        .add("POST", "/api/v1/cvms", this::commit);
  }

  private Response nextAppIds(Request request) {
    int count = request.intQuery("counts", 1, 1, 20);
    List<Map<String, Object>> ids =
        world.nextAppIds(count).stream()
            .map(e -> Json.object().put("app_id", e.getKey()).put("nonce", e.getValue()).build())
            .toList();
    return Response.ok(Map.of("app_ids", ids));
  }

  private Response provision(Request request) {
    JsonNode body = request.jsonObject("name", "compose_file");
    ProvisionResult result =
        world.provision(
            new ProvisionRequest(
                Bodies.text(body, "name"),
                body.get("compose_file"),
                Bodies.text(body, "instance_type"),
                Bodies.integer(body, "vcpu"),
                Bodies.integer(body, "memory"),
                Bodies.integer(body, "disk_size"),
                Bodies.integer(body, "teepod_id") != null
                    ? Bodies.integer(body, "teepod_id")
                    : Bodies.integer(body, "node_id"),
                Bodies.text(body, "region"),
                Bodies.text(body, "kms"),
                Bodies.number(body, "nonce"),
                Bodies.text(body, "app_id"),
                Bodies.strings(body, "env_keys"),
                Bodies.text(body, "image")));
    return Response.ok(
        Json.object()
            .put("app_id", result.appId())
            .put("app_env_encrypt_pubkey", result.envPublicKey())
            .put("compose_hash", result.composeHash())
            .put("fmspc", "90c06f000000")
            .put("device_id", world.deviceId())
            .put("os_image_hash", null)
            .put("instance_type", result.instanceType())
            .put("teepod_id", result.nodeId())
            .put("kms_id", world.kms().id())
            .put("kms_info", json.kmsInfo())
            .build());
  }

  private Response commit(Request request) {
    JsonNode body = request.jsonObject("app_id", "compose_hash");
    return Response.ok(
        json.vm(
            world.commit(
                Bodies.text(body, "app_id"),
                Bodies.text(body, "compose_hash"),
                Bodies.text(body, "encrypted_env"),
                Bodies.strings(body, "env_keys"))));
  }
}
