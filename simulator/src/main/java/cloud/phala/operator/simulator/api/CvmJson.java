package cloud.phala.operator.simulator.api;

import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.cloud.CvmStatus;
import cloud.phala.operator.simulator.cloud.KmsAuthority;
import cloud.phala.operator.simulator.cloud.OnChainDesk;
import cloud.phala.operator.simulator.cloud.World;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders CVMs in the shapes every API version shares, {@code VM} (returned by commit, start,
 * restart, replicas) and the state, and the 2026 detail and list shapes ({@code CVMInfoDetail} /
 * {@code CVMInfo}); {@link LegacyCvmJson} renders the 2025-10-28 ones from the same pieces.
 */
final class CvmJson {
  static final String OS_VERSION = "0.5.4";
  private final World world;

  CvmJson(World world) {
    this.world = world;
  }

  Map<String, Object> vm(CvmSnapshot cvm) {
    return Json.object()
        .put("id", cvm.id())
        .put("name", cvm.name())
        .put("status", cvm.status())
        .put("teepod_id", cvm.nodeId())
        .put("teepod", Json.object().put("id", cvm.nodeId()).put("name", cvm.nodeName()))
        .put("user_id", 1)
        .put("app_id", cvm.appId())
        .put("vm_uuid", cvm.vmUuid().toString())
        .put("instance_id", cvm.instanceId())
        .put("app_url", appUrl(cvm))
        .put("base_image", cvm.osImage().name())
        .put("vcpu", cvm.vcpu())
        .put("memory", cvm.memoryMb())
        .put("disk_size", cvm.diskGb())
        .put("manifest_version", 2)
        .put("version", cvm.osImage().versionText())
        .put("runner", "docker-compose")
        .put("docker_compose_file", cvm.compose().dockerComposeFile())
        .put("features", List.of("kms", "tproxy-net"))
        .put("created_at", cvm.createdAt().toString())
        .put("encrypted_env_pubkey", cvm.envPublicKey())
        .build();
  }

  /** 2026 list item ({@code CVMInfo}); the detail adds {@code compose_file}. */
  Map<String, Object> info(CvmSnapshot cvm) {
    boolean onChain = OnChainDesk.chainId(cvm.kmsType()) != null;
    return Json.object()
        .put("id", cvm.hashedId())
        .put("name", cvm.name())
        .put("app_id", cvm.appId())
        .put("vm_uuid", cvm.vmUuid().toString())
        .put("instance_id", cvm.instanceId())
        .put(
            "resource",
            Json.object()
                .put("instance_type", cvm.instanceType())
                .put("vcpu", cvm.vcpu())
                .put("memory_in_gb", cvm.memoryMb() / 1024.0)
                .put("disk_in_gb", cvm.diskGb())
                .put("gpus", 0)
                .put("compute_billing_price", "0.058")
                .put("billing_period", "hourly"))
        .put(
            "node_info",
            Json.object()
                .put("object_type", "node")
                .put("id", cvm.nodeId())
                .put("name", cvm.nodeName())
                .put("region", cvm.region())
                .put("device_id", world.onChain().deviceOf(cvm.nodeId()))
                .put("ppid", null)
                .put("status", "ONLINE")
                .put("version", OS_VERSION))
        .put(
            "os",
            Json.object()
                .put("name", cvm.osImage().name())
                .put("version", cvm.osImage().versionText())
                .put("is_dev", cvm.osImage().dev())
                .put("os_image_hash", cvm.osImage().hash()))
        .put("kms_type", cvm.kmsType())
        .put(
            "kms_info",
            Json.object()
                .put("chain_id", OnChainDesk.chainId(cvm.kmsType()))
                .put("dstack_kms_address", onChain ? OnChainDesk.KMS_CONTRACT : null)
                .put("dstack_app_address", onChain ? "0x" + cvm.appId() : null)
                .put("deployer_address", null)
                .put("rpc_endpoint", null)
                .put("encrypted_env_pubkey", cvm.envPublicKey())
                .put("k256_pubkey", world.kms().rootKey().toHex()))
        .put("status", cvm.status())
        .put("in_progress", cvm.inProgress())
        .put("progress", progress(cvm))
        .put("compose_hash", cvm.compose().hash())
        .put("docker_compose_hash", null)
        .put("pre_launch_script_hash", null)
        .put(
            "gateway",
            Json.object()
                .put("base_domain", gatewayDomain())
                .put("cname", cvm.appId() + "." + gatewayDomain()))
        .put(
            "logs",
            Json.object()
                .put("serial", null)
                .put("stdout", null)
                .put("stderr", null)
                .put("container_log_base", null))
        .put("services", List.of())
        .put("endpoints", urls(cvm))
        .put("public_logs", cvm.compose().publicLogs())
        .put("public_sysinfo", cvm.compose().publicSysinfo())
        .put("public_tcbinfo", cvm.compose().publicTcbinfo())
        .put("gateway_enabled", true)
        .put("secure_time", false)
        .put("storage_fs", "zfs")
        .put("workspace", OwnerRefs.workspace())
        .put("creator", OwnerRefs.user())
        .put("created_at", cvm.createdAt().toString())
        .put("deleted_at", null)
        .put("listed", false)
        .put("project_type", "webapp")
        .build();
  }

  Map<String, Object> detail(CvmSnapshot cvm) {
    Map<String, Object> detail = info(cvm);
    detail.put("compose_file", cvm.compose().toJson());
    return detail;
  }

  /**
   * The state object of {@code GET /cvms/{id}/state}. Optional fields without a value are left out,
   * not null: the official SDK's {@code CvmStateSchema} takes them as optional strings only.
   */
  Map<String, Object> state(CvmSnapshot cvm) {
    Map<String, Object> state =
        Json.object()
            .put("id", cvm.hashedId())
            .put("instance_id", cvm.instanceId())
            .put("name", cvm.name())
            .put("status", cvm.status())
            .put("in_progress", cvm.inProgress())
            .put("uptime", uptime(cvm))
            .put("boot_progress", bootProgress(cvm))
            .put("boot_error", cvm.bootError())
            .build();
    state.values().removeIf(Objects::isNull);
    return state;
  }

  Map<String, Object> kmsInfo() {
    return kmsInfo(null);
  }

  /** Phala's KMS ({@code chain} null) or the on-chain KMS of {@code chain}. */
  Map<String, Object> kmsInfo(String chain) {
    KmsAuthority kms = world.kms();
    return Json.object()
        .put("id", chain == null ? kms.id() : kms.id(chain))
        .put("slug", chain == null ? KmsAuthority.SLUG : KmsAuthority.slug(chain))
        .put("url", kms.url())
        .put("version", "v0.5.4")
        .put("chain_id", OnChainDesk.chainId(chain))
        .put("kms_contract_address", chain == null ? null : OnChainDesk.KMS_CONTRACT)
        .put("gateway_app_id", null)
        .put("k256_pubkey", kms.rootKey().toHex())
        .build();
  }

  Map<String, Object> node(CvmSnapshot cvm) {
    return Json.object()
        .put("id", cvm.nodeId())
        .put("name", cvm.nodeName())
        .put("region_identifier", cvm.region())
        .build();
  }

  private Object progress(CvmSnapshot cvm) {
    if (!cvm.inProgress()) {
      return null;
    }
    return Json.object()
        .put("target", cvm.progressTarget())
        .put(
            "started_at",
            cvm.progressStartedAt() == null ? null : cvm.progressStartedAt().toString())
        .put("correlation_id", cvm.correlationId())
        .build();
  }

  List<Map<String, Object>> urls(CvmSnapshot cvm) {
    return List.of(
        Json.object()
            .put("app", "https://" + cvm.appId() + "." + gatewayDomain())
            .put("instance", "https://" + cvm.instanceId() + "." + gatewayDomain())
            .build());
  }

  String appUrl(CvmSnapshot cvm) {
    return "https://" + cvm.appId() + "." + gatewayDomain();
  }

  String gatewayDomain() {
    return world.config().gatewayDomain();
  }

  static String bootProgress(CvmSnapshot cvm) {
    return CvmStatus.STARTING.equals(cvm.status()) ? "booting" : null;
  }

  String uptime(CvmSnapshot cvm) {
    if (cvm.runningSince() == null) {
      return "";
    }
    Duration up = Duration.between(cvm.runningSince(), world.time().clock().instant());
    return up.toHours() + "h " + up.toMinutesPart() + "m " + up.toSecondsPart() + "s";
  }
}
