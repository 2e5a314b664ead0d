package cloud.phala.operator.simulator.api;

import cloud.phala.operator.simulator.attest.Attestations;
import cloud.phala.operator.simulator.attest.TestRoot;
import cloud.phala.operator.simulator.cloud.CloudError;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.cloud.World;
import cloud.phala.operator.simulator.http.Request;
import cloud.phala.operator.simulator.http.Response;
import cloud.phala.operator.simulator.http.Router;
import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /attestations/verify} (JSON {@code hex}, 0x prefix allowed), verifying against the
 * simulator's {@link TestRoot}, not Intel's: a quote it accepts proves only that the simulator made
 * it. A quote that is not hex or too short for a signature is a 400, as Phala Cloud's "invalid
 * quote format". {@code GET /apps/{app_id}/attestations} gives every CVM's attestation in one
 * answer; {@code GET /apps/{app_id}/attestations/tcb-evaluation} reports each running CVM's TCB
 * status (UpToDate unless a {@code tcb_*} fault sets it); an unknown app is a 404.
 */
final class AttestationRoutes {
  private final Attestations attestations;
  private final TestRoot root;
  private final World world;

  AttestationRoutes(Attestations attestations, World world) {
    this.attestations = attestations;
    this.root = attestations.root();
    this.world = world;
  }

  void register(Router router) {
    router
        .add("POST", "/api/v1/attestations/verify", this::verify)
        .add("GET", "/api/v1/apps/{app_id}/attestations", this::ofApp)
        .add("GET", "/api/v1/apps/{app_id}/attestations/tcb-evaluation", this::tcbEvaluation);
  }

  private Response ofApp(Request request) {
    String appId = request.pathParam("app_id");
    List<CvmSnapshot> cvms = world.listApp(appId);
    if (cvms.isEmpty()) {
      throw CloudError.plain(404, "App not found");
    }
    return Response.ok(attestations.ofApp(appId, cvms));
  }

  private Response tcbEvaluation(Request request) {
    String appId = request.pathParam("app_id");
    List<CvmSnapshot> cvms = world.listApp(appId);
    if (cvms.isEmpty()) {
      throw CloudError.plain(404, "App not found");
    }
    return Response.ok(attestations.tcbEvaluation(appId, cvms));
  }

  private Response verify(Request request) {
    JsonNode body = request.jsonObject("hex");
    String hex = body.get("hex").asText();
    byte[] quote;
    try {
      quote = HexFormat.of().parseHex(hex.startsWith("0x") ? hex.substring(2) : hex);
    } catch (IllegalArgumentException e) {
      throw CloudError.plain(400, "Invalid quote format");
    }
    boolean verified = root.verifies(quote);
    String checksum = checksum(quote);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", checksum);
    out.put("success", verified);
    out.put("proof_of_cloud", false);
    out.put("quote", null);
    out.put("checksum", checksum);
    return Response.ok(out);
  }

  private static String checksum(byte[] quote) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(quote));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
