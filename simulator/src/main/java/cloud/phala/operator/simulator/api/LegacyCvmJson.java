package cloud.phala.operator.simulator.api;

import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import java.util.Map;

/**
 * Renders CVMs in the detail and list shapes of API 2025-10-28 ({@code CvmBasicInfo} / {@code
 * HostedCvm}), from the pieces {@link CvmJson} shares with the 2026 shapes.
 */
final class LegacyCvmJson {
  private final CvmJson json;

  LegacyCvmJson(CvmJson json) {
    this.json = json;
  }

  /** {@code GET /cvms/{id}} for API 2025-10-28. */
  Map<String, Object> basicInfo(CvmSnapshot cvm) {
    return Json.object()
        .put("id", cvm.id())
        .put("teepod_id", cvm.nodeId())
        .put("teepod", json.node(cvm))
        .put("name", cvm.name())
        .put("status", cvm.status())
        .put("in_progress", cvm.inProgress())
        .put("app_id", cvm.appId())
        .put("vm_uuid", cvm.vmUuid().toString())
        .put("instance_id", cvm.instanceId())
        .put("vcpu", cvm.vcpu())
        .put("memory", cvm.memoryMb())
        .put("disk_size", cvm.diskGb())
        .put("base_image", cvm.osImage().name())
        .put("encrypted_env_pubkey", cvm.envPublicKey())
        .put("listed", false)
        .put("project_type", "webapp")
        .put("instance_type", cvm.instanceType())
        .put("public_sysinfo", cvm.compose().publicSysinfo())
        .put("public_logs", cvm.compose().publicLogs())
        .put("kms_info", json.kmsInfo())
        .put("public_urls", json.urls(cvm))
        .put("gateway_domain", json.gatewayDomain())
        .build();
  }

  /**
   * {@code GET /cvms}, {@code /cvms/paginated} items and {@code /apps/{id}/cvms} for 2025-10-28.
   * The official SDK's {@code CvmInfoV20251028Schema} requires the nullable dashboard, syslog,
   * project and billing fields to be present.
   */
  Map<String, Object> hosted(CvmSnapshot cvm) {
    return Json.object()
        .put(
            "hosted",
            Json.object()
                .put("id", cvm.vmUuid().toString())
                .put("name", cvm.name())
                .put("status", cvm.status())
                .put("uptime", json.uptime(cvm))
                .put("app_url", json.appUrl(cvm))
                .put("app_id", cvm.appId())
                .put("instance_id", cvm.instanceId())
                .put("exited_at", null)
                .put("boot_progress", json.bootProgress(cvm))
                .put("boot_error", cvm.bootError())
                .put("shutdown_progress", null)
                .put("image_version", cvm.osImage().versionText()))
        .put("name", cvm.name())
        .put("managed_user", null)
        .put("node", json.node(cvm))
        .put("listed", false)
        .put("status", cvm.status())
        .put("in_progress", cvm.inProgress())
        .put("dapp_dashboard_url", null)
        .put("syslog_endpoint", null)
        .put("allow_upgrade", false)
        .put("project_id", null)
        .put("project_type", "webapp")
        .put("billing_period", "hourly")
        .put("kms_info", json.kmsInfo())
        .put("vcpu", cvm.vcpu())
        .put("memory", cvm.memoryMb())
        .put("disk_size", cvm.diskGb())
        .put("gateway_domain", json.gatewayDomain())
        .put("public_urls", json.urls(cvm))
        .build();
  }
}
