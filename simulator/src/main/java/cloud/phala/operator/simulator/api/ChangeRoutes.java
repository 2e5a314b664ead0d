package cloud.phala.operator.simulator.api;

import cloud.phala.operator.simulator.cloud.ChangeAccepted;
import cloud.phala.operator.simulator.cloud.CloudError;
import cloud.phala.operator.simulator.cloud.ComposeUpdateResult;
import cloud.phala.operator.simulator.cloud.ConfigChange;
import cloud.phala.operator.simulator.cloud.OnChainProof;
import cloud.phala.operator.simulator.cloud.World;
import cloud.phala.operator.simulator.http.Request;
import cloud.phala.operator.simulator.http.Response;
import cloud.phala.operator.simulator.http.Router;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Everything that changes a CVM. Configuration changes answer 202 and restart the CVM; power
 * operations answer with the {@code VM}; a CVM that is busy answers 409.
 */
final class ChangeRoutes {
  private final World world;
  private final CvmJson json;

  ChangeRoutes(World world, CvmJson json) {
    this.world = world;
    this.json = json;
  }

  void register(Router router) {
    router
        .add("PATCH", "/api/v1/cvms/{cvm_id}/envs", this::envs)
        .add("PATCH", "/api/v1/cvms/{cvm_id}", this::patch)
        .add("POST", "/api/v1/cvms/{cvm_id}/compose_file/provision", this::provisionCompose)
        .add("PATCH", "/api/v1/cvms/{cvm_id}/compose_file", this::commitCompose)
        .add("PATCH", "/api/v1/cvms/{cvm_id}/docker-compose", this::dockerCompose)
        .add("PATCH", "/api/v1/cvms/{cvm_id}/pre-launch-script", this::preLaunchScript)
        .add("POST", "/api/v1/cvms/{cvm_id}/start", r -> vm(world.start(id(r))))
        .add("POST", "/api/v1/cvms/{cvm_id}/stop", r -> vm(world.stop(id(r), true)))
        .add("POST", "/api/v1/cvms/{cvm_id}/shutdown", r -> vm(world.stop(id(r), false)))
        .add("POST", "/api/v1/cvms/{cvm_id}/restart", r -> vm(world.restart(id(r))))
        .add("POST", "/api/v1/cvms/{cvm_id}/replicas", this::replicate)
        .add("DELETE", "/api/v1/cvms/{cvm_id}", this::delete);
  }

  private Response envs(Request request) {
    JsonNode body = request.jsonObject("encrypted_env");
    ChangeAccepted accepted =
        world
            .onChain()
            .change(
                id(request),
                ConfigChange.envs(
                    Bodies.text(body, "encrypted_env"), Bodies.strings(body, "env_keys")),
                new OnChainProof(
                    Bodies.text(body, "compose_hash"),
                    Bodies.text(body, "transaction_hash"),
                    prepareOnly(request),
                    false));
    return Response.json(
        202,
        Json.object()
            .put("status", "in_progress")
            .put("message", "Environment update initiated; the CVM restarts to apply it")
            .put("correlation_id", accepted.correlationId())
            .put("allowed_envs_changed", accepted.allowedEnvsChanged())
            .build());
  }

  /** Phase two is an empty body with {@code X-Compose-Hash} and {@code X-Transaction-Hash}. */
  private Response patch(Request request) {
    String hash = request.header("X-Compose-Hash").orElse(null);
    String tx = request.header("X-Transaction-Hash").orElse(null);
    if (request.bodyBytes().length == 0 && hash != null && tx != null) {
      return accepted(world.onChain().confirm(id(request), hash, tx));
    }
    JsonNode body = request.jsonObject();
    ChangeAccepted accepted =
        world
            .onChain()
            .change(
                id(request),
                new ConfigChange(
                    Bodies.text(body, "encrypted_env"),
                    Bodies.strings(body, "allowed_envs"),
                    Bodies.text(body, "docker_compose_file"),
                    Bodies.text(body, "pre_launch_script"),
                    null),
                new OnChainProof(hash, tx, prepareOnly(request), true));
    return accepted(accepted);
  }

  static boolean prepareOnly(Request request) {
    return request.header("X-Prepare-Only").map("true"::equalsIgnoreCase).orElse(false);
  }

  private Response provisionCompose(Request request) {
    JsonNode body = request.jsonObject("name");
    ComposeUpdateResult result =
        world.provisionComposeUpdate(id(request), body, Bodies.flag(body, "update_env_vars"));
    return Response.ok(
        Json.object()
            .put("app_id", result.appId())
            .put("device_id", world.deviceId())
            .put("compose_hash", result.composeHash())
            .put("kms_info", json.kmsInfo())
            .put("compose_hash_registered", false)
            .build());
  }

  private Response commitCompose(Request request) {
    JsonNode body = request.jsonObject("compose_hash");
    return accepted(
        world.commitComposeUpdate(
            id(request),
            Bodies.text(body, "compose_hash"),
            Bodies.text(body, "encrypted_env"),
            Bodies.strings(body, "env_keys"),
            Bodies.flag(body, "update_env_vars")));
  }

  /** The official SDK sends raw YAML ({@code text/yaml}); JSON with the field works too. */
  private Response dockerCompose(Request request) {
    String compose = textOrField(request, "docker_compose_file");
    return accepted(world.change(id(request), new ConfigChange(null, null, compose, null, null)));
  }

  private Response preLaunchScript(Request request) {
    String script = textOrField(request, "pre_launch_script");
    return accepted(world.change(id(request), new ConfigChange(null, null, null, script, null)));
  }

  private Response replicate(Request request) {
    JsonNode fields = Bodies.objectOrEmpty(request.json());
    Integer node =
        Bodies.integer(fields, "node_id") != null
            ? Bodies.integer(fields, "node_id")
            : Bodies.integer(fields, "teepod_id");
    return vm(
        world.replicate(
            id(request),
            Bodies.text(fields, "encrypted_env"),
            node,
            Bodies.text(fields, "compose_hash")));
  }

  private Response delete(Request request) {
    world.delete(id(request));
    return Response.noContent();
  }

  private Response vm(cloud.phala.operator.simulator.cloud.CvmSnapshot cvm) {
    return Response.ok(json.vm(cvm));
  }

  private static Response accepted(ChangeAccepted accepted) {
    return Response.json(
        202,
        Map.of(
            "status", "in_progress",
            "message", "Update initiated; the CVM restarts to apply it",
            "correlation_id", accepted.correlationId()));
  }

  private static String textOrField(Request request, String field) {
    if (request.contentType().startsWith("application/json")) {
      JsonNode body = request.jsonObject(field);
      return body.get(field).asText();
    }
    if (request.contentType().startsWith("multipart/")) {
      throw CloudError.plain(
          415, "The simulator takes this update as text (text/yaml or text/plain) or JSON");
    }
    return request.bodyText();
  }

  private static String id(Request request) {
    return request.pathParam("cvm_id");
  }
}
