package cloud.phala.operator.simulator.cloud;

import java.util.List;
import java.util.Map;

/**
 * A refusal in Phala Cloud's terms: the HTTP status and, for business errors, the structured {@code
 * error_code} envelope. A null code means a plain FastAPI {@code {"detail": "..."}}.
 */
public final class CloudError extends RuntimeException {
  private final int status;
  private final String errorCode;
  private final List<Map<String, Object>> details;

  public CloudError(
      int status, String errorCode, String message, List<Map<String, Object>> details) {
    super(message, null, false, false);
    this.status = status;
    this.errorCode = errorCode;
    this.details = List.copyOf(details);
  }

  public static CloudError plain(int status, String message) {
    return new CloudError(status, null, message, List.of());
  }

  /** A FastAPI request validation error (422, {@code detail} is a list) on one body field. */
  public static CloudError invalidField(String field, String message) {
    return new CloudError(
        422, null, message, List.of(Map.of("loc", List.of("body", field), "type", "value_error")));
  }

  public boolean isValidation() {
    return status == 422 && errorCode == null && !details.isEmpty();
  }

  public static CloudError cvmNotFound(String identifier) {
    return new CloudError(
        404,
        "ERR-03-001",
        "CVM not found",
        List.of(Map.of("field", "cvm_id", "value", identifier)));
  }

  public static CloudError nameTaken(String name) {
    return new CloudError(
        409,
        "ERR-01-004",
        "A CVM named " + name + " already exists",
        List.of(Map.of("field", "name", "value", name)));
  }

  public static CloudError appHasCvms(String appId) {
    return new CloudError(
        409,
        "ERR-03-007",
        "App " + appId + " already has CVMs",
        List.of(Map.of("field", "app_id", "value", appId)));
  }

  public static CloudError busy() {
    return plain(409, "Another operation is in progress for this CVM, please try again later");
  }

  public int status() {
    return status;
  }

  public String errorCode() {
    return errorCode;
  }

  public List<Map<String, Object>> details() {
    return details;
  }
}
