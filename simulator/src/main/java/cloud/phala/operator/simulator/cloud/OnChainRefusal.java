package cloud.phala.operator.simulator.cloud;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HTTP 465 {@code ERR-01-005}: what an on-chain KMS app's owner must register first, in the {@code
 * details} list the official SDK reads ({@code field}/{@code value} pairs); with a commit token on
 * the token flow ({@code PATCH /cvms/{id}}).
 */
final class OnChainRefusal {
  private OnChainRefusal() {}

  static CloudError of(
      Cvm cvm,
      String hash,
      String deviceId,
      Map<String, Object> kmsInfo,
      String token,
      boolean registered) {
    List<Map<String, Object>> details = new ArrayList<>();
    details.add(Map.of("field", "compose_hash", "value", hash));
    details.add(Map.of("field", "app_id", "value", cvm.app.appId));
    details.add(Map.of("field", "device_id", "value", deviceId));
    details.add(Map.of("field", "kms_info", "value", kmsInfo));
    if (token != null) {
      String path = "/api/v1/cvms/" + cvm.vmUuid + "/commit-update";
      String page = "https://cloud.phala.network/cvms/" + cvm.vmUuid + "/commit?token=" + token;
      details.add(Map.of("field", "commit_token", "value", token));
      details.add(Map.of("field", "commit_url", "value", page));
      details.add(Map.of("field", "api_commit_url", "value", path));
      details.add(
          Map.of("field", "onchain_status", "value", registered ? "registered" : "pending"));
    }
    return new CloudError(
        465,
        "ERR-01-005",
        "Compose hash or device must be registered on-chain before this update",
        details);
  }
}
