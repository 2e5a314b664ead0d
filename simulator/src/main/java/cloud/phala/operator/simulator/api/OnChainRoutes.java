package cloud.phala.operator.simulator.api;

import cloud.phala.operator.simulator.cloud.ChangeAccepted;
import cloud.phala.operator.simulator.cloud.OnChainDesk;
import cloud.phala.operator.simulator.http.Request;
import cloud.phala.operator.simulator.http.Response;
import cloud.phala.operator.simulator.http.Router;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * On-chain KMS apps: the token commit of a prepared update (no auth on Phala Cloud; here behind the
 * same key as the rest) and the reads of an app's contract: KMS info, device allow-list,
 * is-allowed, pending updates.
 */
final class OnChainRoutes {
  private final OnChainDesk desk;

  OnChainRoutes(OnChainDesk desk) {
    this.desk = desk;
  }

  void register(Router router) {
    router
        .add("POST", "/api/v1/cvms/{cvm_id}/commit-update", this::commit)
        .add(
            "GET",
            "/api/v1/cvms/{cvm_id}/commit-update",
            r -> Response.ok(desk.tokenInfo(r.pathParam("cvm_id"), r.query("token").orElse(""))))
        .add("GET", "/api/v1/apps/{app_id}/kms-info", r -> Response.ok(desk.kmsInfo(app(r))))
        .add(
            "GET",
            "/api/v1/apps/{app_id}/device-allowlist",
            r -> Response.ok(desk.deviceAllowlist(app(r))))
        .add("POST", "/api/v1/apps/{app_id}/is-allowed", this::isAllowed)
        .add(
            "GET",
            "/api/v1/apps/{app_id}/pending-updates",
            r -> Response.ok(desk.pendingUpdates(app(r))));
  }

  private Response commit(Request request) {
    JsonNode body = Bodies.objectOrEmpty(request.json());
    String token = Bodies.text(body, "token");
    if (token == null || token.isEmpty()) {
      token = request.query("token").orElse("");
    }
    ChangeAccepted accepted =
        desk.commitUpdate(
            request.pathParam("cvm_id"),
            token,
            Bodies.text(body, "compose_hash"),
            Bodies.text(body, "transaction_hash"));
    return Response.json(
        202, Map.of("status", "in_progress", "correlation_id", accepted.correlationId()));
  }

  private Response isAllowed(Request request) {
    JsonNode body = request.jsonObject("compose_hash");
    return Response.ok(
        desk.isAllowed(
            app(request),
            Bodies.text(body, "compose_hash"),
            Bodies.integer(body, "node_id"),
            Bodies.text(body, "device_id")));
  }

  private static String app(Request request) {
    String id = request.pathParam("app_id");
    return id.startsWith("app_") ? id.substring(4) : id;
  }
}
