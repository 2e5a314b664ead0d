package cloud.phala.operator.simulator.api;

import cloud.phala.operator.simulator.attest.DstackVerifier;
import cloud.phala.operator.simulator.cloud.CloudError;
import cloud.phala.operator.simulator.http.Request;
import cloud.phala.operator.simulator.http.Response;
import cloud.phala.operator.simulator.http.Router;
import java.util.Map;

/**
 * The {@link DstackVerifier} stand-in under {@link #PREFIX}: {@code POST /dstack-verifier/verify}
 * and {@code GET /dstack-verifier/health}, without the API key (a dstack verifier has no auth), so
 * an operator's {@code DSTACK_VERIFIER_URL} is the simulator's root URL plus the prefix. HTTP
 * faults of {@code /_sim/faults} whose path matches apply to it as to the API.
 */
public final class DstackVerifierRoutes {
  public static final String PREFIX = "/dstack-verifier";

  private DstackVerifierRoutes() {}

  /** Whether a request to {@code path} is served without an API key. */
  public static boolean open(String path) {
    return path.startsWith(PREFIX + "/");
  }

  public static void register(Router router, DstackVerifier verifier) {
    router
        .add("POST", PREFIX + "/verify", request -> verify(verifier, request))
        .add(
            "GET",
            PREFIX + "/health",
            r -> Response.ok(Map.of("status", "ok", "service", "dstack-verifier")));
  }

  private static Response verify(DstackVerifier verifier, Request request) {
    return verifier
        .verify(request.json())
        .map(Response::ok)
        .orElseThrow(() -> CloudError.plain(422, "Unprocessable Entity"));
  }
}
