package cloud.phala.operator.simulator.http;

import cloud.phala.operator.simulator.cloud.CloudError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Error bodies in the shapes the official clients parse (protocol section 3.6): FastAPI's {@code
 * {"detail": "..."}} and 422 {@code {"detail": [{loc, msg, type}]}}; business errors as the
 * structured envelope, placed both at the top level (Go SDK, docs) and under {@code detail} (JS).
 */
final class ErrorBodies {
  private ErrorBodies() {}

  static Response of(CloudError error) {
    if (error.isValidation()) {
      List<Map<String, Object>> items =
          error.details().stream()
              .map(
                  d -> {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("loc", d.get("loc"));
                    item.put("msg", error.getMessage());
                    item.put("type", d.getOrDefault("type", "value_error"));
                    return item;
                  })
              .toList();
      return Response.json(422, Map.of("detail", items));
    }
    if (error.errorCode() == null) {
      return Response.json(error.status(), Map.of("detail", error.getMessage()));
    }
    Map<String, Object> envelope = new LinkedHashMap<>();
    envelope.put("error_code", error.errorCode());
    envelope.put("message", error.getMessage());
    envelope.put("details", error.details());
    envelope.put("suggestions", List.of());
    envelope.put("links", List.of());
    Map<String, Object> body = new LinkedHashMap<>(envelope);
    body.put("detail", envelope);
    return Response.json(error.status(), body);
  }

  static Response plain(int status, String message) {
    return Response.json(status, Map.of("detail", message));
  }
}
