package cloud.phala.operator.simulator.hooks;

import cloud.phala.operator.simulator.cloud.CloudError;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.cloud.World;
import cloud.phala.operator.simulator.http.Request;
import cloud.phala.operator.simulator.http.RequestLog;
import cloud.phala.operator.simulator.http.Response;
import cloud.phala.operator.simulator.http.Router;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Test hooks under {@code /_sim}, outside the cloud API, behind the same API key: what each CVM
 * booted with (decrypted: test use only), the request log, availability timelines, fault injection,
 * reset.
 */
public final class SimRoutes {
  private final World world;
  private final FaultPlan faults;
  private final RequestLog requestLog;

  public SimRoutes(World world, FaultPlan faults, RequestLog requestLog) {
    this.world = world;
    this.faults = faults;
    this.requestLog = requestLog;
  }

  public void register(Router router) {
    router
        .add(
            "GET",
            "/_sim/cvms",
            r -> Response.ok(world.list().stream().map(SimRoutes::summary).toList()))
        .add("GET", "/_sim/cvms/{cvm_id}/env", this::bootedEnv)
        .add(
            "GET",
            "/_sim/requests",
            r -> Response.ok(requestLog.entries().stream().map(SimRoutes::entry).toList()))
        .add("DELETE", "/_sim/requests", r -> clearRequests())
        .add("GET", "/_sim/apps/{app_id}/timeline", this::timeline)
        .add(
            "GET",
            "/_sim/faults",
            r -> Response.ok(faults.rules().stream().map(SimRoutes::rule).toList()))
        .add("POST", "/_sim/faults", this::addFault)
        .add("DELETE", "/_sim/faults", r -> clearFaults())
        .add("DELETE", "/_sim/faults/{fault_id}", this::removeFault)
        .add("PUT", "/_sim/nodes/{node_id}", this::setNode)
        .add("POST", "/_sim/apps/{app_id}/chain/compose-hashes", this::approveHash)
        .add("POST", "/_sim/apps/{app_id}/chain/devices", this::approveDevice)
        .add("POST", "/_sim/reset", r -> reset());
  }

  private static Map<String, Object> summary(CvmSnapshot cvm) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", cvm.id());
    out.put("hashed_id", cvm.hashedId());
    out.put("vm_uuid", cvm.vmUuid().toString());
    out.put("name", cvm.name());
    out.put("app_id", cvm.appId());
    out.put("status", cvm.status());
    out.put("in_progress", cvm.inProgress());
    out.put("boots", cvm.boots());
    out.put("boot_error", cvm.bootError());
    out.put("compose_hash", cvm.compose().hash());
    out.put("booted_compose_hash", cvm.bootedComposeHash());
    out.put("booted_env_keys", cvm.bootedEnv().stream().map(e -> e.key()).toList());
    // Which sealed blob the CVM runs: a hash of the ciphertext, never of the values.
    out.put("booted_encrypted_env_sha256", sha256(cvm.bootedEncryptedEnv()));
    return out;
  }

  private static String sha256(String hex) {
    if (hex == null) {
      return null;
    }
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(hex.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stands in for the owner's {@code addComposeHash} transaction (the chain is not simulated). */
  private Response approveHash(Request request) {
    JsonNode body = request.jsonObject("compose_hash");
    String tx =
        world.onChain().approveComposeHash(appParam(request), body.get("compose_hash").asText());
    return Response.ok(Map.of("transaction_hash", tx));
  }

  /** Stands in for {@code addDevice(device_id)} or {@code setAllowAnyDevice(true)}. */
  private Response approveDevice(Request request) {
    JsonNode body = request.jsonObject();
    String device = body.hasNonNull("device_id") ? body.get("device_id").asText() : null;
    if (device == null && body.hasNonNull("node_id")) {
      device = world.onChain().deviceOf(body.get("node_id").asInt());
    }
    boolean any = body.path("allow_any_device").asBoolean(false);
    String tx = world.onChain().approveDevice(appParam(request), device, any);
    return Response.ok(Map.of("transaction_hash", tx));
  }

  private static String appParam(Request request) {
    String id = request.pathParam("app_id");
    return id.startsWith("app_") ? id.substring(4) : id;
  }

  private Response bootedEnv(Request request) {
    CvmSnapshot cvm = world.get(request.pathParam("cvm_id"));
    List<Map<String, String>> env =
        cvm.bootedEnv().stream().map(e -> Map.of("key", e.key(), "value", e.value())).toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("cvm_id", cvm.hashedId());
    out.put("boots", cvm.boots());
    out.put("booted_compose_hash", cvm.bootedComposeHash());
    out.put("env", env);
    return Response.ok(out);
  }

  private static Map<String, Object> entry(RequestLog.Entry e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("at", e.at().toString());
    out.put("method", e.method());
    out.put("path", e.path());
    out.put("status", e.status());
    out.put("millis", e.millis());
    out.put("client", e.client());
    return out;
  }

  private Response clearRequests() {
    requestLog.clear();
    return Response.noContent();
  }

  private Response timeline(Request request) {
    return Response.ok(
        world.timeline(request.pathParam("app_id")).stream()
            .map(p -> Map.of("at", p.at().toString(), "serving", p.serving(), "total", p.total()))
            .toList());
  }

  private Response addFault(Request request) {
    JsonNode body = request.jsonObject("kind");
    FaultRule.Kind kind;
    try {
      kind = FaultRule.Kind.valueOf(body.get("kind").asText().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw CloudError.plain(422, "unknown fault kind " + body.get("kind").asText());
    }
    Pattern path;
    try {
      path = body.hasNonNull("path") ? Pattern.compile(body.get("path").asText()) : null;
    } catch (PatternSyntaxException e) {
      throw CloudError.plain(422, "path is not a valid regular expression");
    }
    Integer cvm = body.hasNonNull("cvm_id") ? world.get(body.get("cvm_id").asText()).id() : null;
    long delayMillis =
        body.has("retry_after_s")
            ? body.get("retry_after_s").asLong() * 1000
            : body.path("delay_ms").asLong(0);
    FaultRule added =
        faults.add(
            new FaultRule(
                null,
                kind,
                body.hasNonNull("method") ? body.get("method").asText() : null,
                path,
                cvm,
                body.path("rate").asDouble(1.0),
                body.hasNonNull("count") ? body.get("count").asInt() : null,
                body.path("status").asInt(kind == FaultRule.Kind.ERROR_AFTER_APPLY ? 504 : 503),
                Duration.ofMillis(delayMillis),
                body.hasNonNull("os_image") ? body.get("os_image").asText() : null));
    return Response.json(201, rule(added));
  }

  private static Map<String, Object> rule(FaultRule r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", r.id());
    out.put("kind", r.kind().name().toLowerCase(Locale.ROOT));
    out.put("method", r.method());
    out.put("path", r.path() == null ? null : r.path().pattern());
    out.put("cvm", r.cvmNumber());
    out.put("rate", r.rate());
    out.put("count", r.count());
    out.put("status", r.status());
    out.put("delay_ms", r.delay().toMillis());
    out.put("os_image", r.osImage());
    return out;
  }

  /** {@code {"cvm_slots": n}}: how many CVMs the node holds; 0 fills it. */
  private Response setNode(Request request) {
    JsonNode body = request.jsonObject("cvm_slots");
    int node;
    try {
      node = Integer.parseInt(request.pathParam("node_id"));
    } catch (NumberFormatException e) {
      throw CloudError.plain(404, "Node " + request.pathParam("node_id") + " not found");
    }
    world.setNodeSlots(node, body.get("cvm_slots").asInt());
    return Response.noContent();
  }

  private Response removeFault(Request request) {
    if (!faults.remove(request.pathParam("fault_id"))) {
      throw CloudError.plain(404, "no such fault");
    }
    return Response.noContent();
  }

  private Response clearFaults() {
    faults.clear();
    return Response.noContent();
  }

  private Response reset() {
    faults.clear();
    world.reset();
    requestLog.clear();
    return Response.noContent();
  }
}
