package cloud.phala.operator.simulator.api;

import cloud.phala.operator.simulator.cloud.ComposeServices;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.cloud.World;
import cloud.phala.operator.simulator.http.Request;
import cloud.phala.operator.simulator.http.Response;
import cloud.phala.operator.simulator.http.Router;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What the guest of a CVM reports: its system stats, the containers its compose started, the
 * compose itself and its user config. A CVM that is not running reports nothing but its status.
 */
final class GuestRoutes {
  private static final long GB = 1L << 30;
  private static final long MB = 1L << 20;
  private final World world;
  private final CvmJson json;

  GuestRoutes(World world, CvmJson json) {
    this.world = world;
    this.json = json;
  }

  void register(Router router) {
    router
        .add("GET", "/api/v1/cvms/{cvm_id}/stats", this::stats)
        .add("GET", "/api/v1/cvms/{cvm_id}/composition", this::composition)
        .add("GET", "/api/v1/cvms/{cvm_id}/docker-compose.yml", this::dockerCompose)
        .add("GET", "/api/v1/cvms/{cvm_id}/user_config", this::userConfig);
  }

  private Response stats(Request request) {
    CvmSnapshot cvm = world.get(request.pathParam("cvm_id"));
    boolean online = online(cvm);
    return Response.ok(
        Json.object()
            .put("is_online", online)
            .put("is_public", cvm.compose().publicSysinfo())
            .put("error", online ? null : "CVM is not running")
            .put("sysinfo", online ? sysinfo(cvm) : null)
            .put("status", cvm.status())
            .put("in_progress", cvm.inProgress())
            .put("boot_progress", CvmJson.bootProgress(cvm))
            .put("boot_error", cvm.bootError())
            .build());
  }

  private Map<String, Object> sysinfo(CvmSnapshot cvm) {
    long memory = cvm.memoryMb() * MB;
    long disk = cvm.diskGb() * GB;
    return Json.object()
        .put("os_name", "DStack")
        .put("os_version", cvm.osImage().versionText())
        .put("kernel_version", "6.9.0-dstack")
        .put("cpu_model", "Simulated TDX vCPU")
        .put("num_cpus", cvm.vcpu())
        .put("total_memory", memory)
        .put("available_memory", memory * 3 / 4)
        .put("used_memory", memory / 4)
        .put("free_memory", memory * 3 / 4)
        .put("total_swap", 0)
        .put("used_swap", 0)
        .put("free_swap", 0)
        .put("uptime", upSeconds(cvm))
        .put("loadavg_one", 0)
        .put("loadavg_five", 0)
        .put("loadavg_fifteen", 0)
        .put(
            "disks",
            List.of(
                Json.object()
                    .put("name", "/dev/vdb")
                    .put("mount_point", "/dstack/persistent")
                    .put("total_size", disk)
                    .put("free_size", disk * 9 / 10)
                    .build()))
        .build();
  }

  /** One running container per service of the compose the CVM booted. */
  private Response composition(Request request) {
    CvmSnapshot cvm = world.get(request.pathParam("cvm_id"));
    boolean online = online(cvm);
    List<Map<String, Object>> containers =
        ComposeServices.of(cvm.compose().dockerComposeFile()).stream()
            .map(s -> container(cvm, s))
            .toList();
    return Response.ok(
        Json.object()
            .put("is_online", online)
            .put("is_public", cvm.compose().publicLogs())
            .put("error", online ? null : "CVM is not running")
            .put("docker_compose_file", cvm.compose().dockerComposeFile())
            .put("manifest_version", 2)
            .put("version", cvm.osImage().versionText())
            .put("runner", "docker-compose")
            .put("features", List.of("kms", "tproxy-net"))
            .put("containers", online ? containers : null)
            .build());
  }

  private Map<String, Object> container(CvmSnapshot cvm, ComposeServices.Service service) {
    long up = upSeconds(cvm);
    return Json.object()
        .put("id", sha256(cvm.vmUuid() + "/" + service.name() + "/" + cvm.boots()))
        .put("names", List.of("/" + service.containerName()))
        .put("image", service.image())
        .put("image_id", "sha256:" + sha256(service.image()))
        .put("command", null)
        .put("created", cvm.runningSince().getEpochSecond())
        .put("state", "running")
        .put("status", up < 60 ? "Up Less than a minute" : "Up " + up / 60 + " minutes")
        .put("log_endpoint", null)
        .build();
  }

  /** The raw YAML as a JSON string, as the OpenAPI document gives it. */
  private Response dockerCompose(Request request) {
    return Response.ok(world.get(request.pathParam("cvm_id")).compose().dockerComposeFile());
  }

  private Response userConfig(Request request) {
    CvmSnapshot cvm = world.get(request.pathParam("cvm_id"));
    return Response.ok(
        Json.object()
            .put("hostname", cvm.name())
            .put("ssh_authorized_keys", List.of())
            .put("default_gateway_domain", json.gatewayDomain())
            .build());
  }

  private static boolean online(CvmSnapshot cvm) {
    return "running".equals(cvm.status()) && !cvm.inProgress();
  }

  private long upSeconds(CvmSnapshot cvm) {
    return cvm.runningSince() == null
        ? 0
        : Duration.between(cvm.runningSince(), world.time().clock().instant()).toSeconds();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
