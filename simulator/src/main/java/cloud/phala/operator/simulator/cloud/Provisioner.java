package cloud.phala.operator.simulator.cloud;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Phase one of a deploy: validates the request, places it on a node, fills in the app compose,
 * predicts the app id from the next nonce (or checks a pinned one), and keeps the provision until
 * the commit takes it. Guarded by the world's lock.
 */
final class Provisioner {
  private final Ids ids;
  private final String gatewayDomain;
  private final Clock clock;
  private final Nodes nodes;
  private final Map<String, Provision> provisions = new HashMap<>();
  private long nextNonce;

  Provisioner(Ids ids, String gatewayDomain, Clock clock, Nodes nodes) {
    this.ids = ids;
    this.nodes = nodes;
    this.gatewayDomain = gatewayDomain;
    this.clock = clock;
  }

  List<Map.Entry<String, Long>> nextAppIds(int count) {
    List<Map.Entry<String, Long>> out = new ArrayList<>();
    for (long n = nextNonce; n < nextNonce + count; n++) {
      out.add(Map.entry(AppIds.createAddress(ids.teamWallet(), n), n));
    }
    return out;
  }

  Provision provision(ProvisionRequest request) {
    if (request.name() == null || request.name().isBlank() || request.name().length() > 63) {
      throw CloudError.invalidField("name", "name must be 1 to 63 characters");
    }
    String dockerCompose = request.composeFile().path("docker_compose_file").asText("");
    if (dockerCompose.isBlank()) {
      throw CloudError.plain(
          400, "Invalid Docker Compose configuration: docker_compose_file is empty");
    }
    Placement placement = placement(request);
    OsImage image = OsImages.forDeploy(request.image());
    String kmsType = kmsType(request.kms());
    AppCompose compose = AppCompose.fromRequest(request.composeFile(), gatewayDomain);
    if (request.envKeys() != null && !request.envKeys().isEmpty()) {
      compose = compose.withAllowedEnvs(request.envKeys());
    }
    String appId;
    long nonce = -1;
    if (!"phala".equals(kmsType)) {
      appId = onChainKey(compose.hash());
    } else if (request.appId() != null) {
      nonce = request.nonce() == null ? -1 : request.nonce();
      appId = CvmDirectory.normalizeAppId(request.appId());
      if (nonce < 0 || !AppIds.createAddress(ids.teamWallet(), nonce).equals(appId)) {
        throw CloudError.plain(400, "app_id does not match the app id predicted for nonce");
      }
      nextNonce = Math.max(nextNonce, nonce + 1);
    } else {
      nonce = nextNonce++;
      appId = AppIds.createAddress(ids.teamWallet(), nonce);
    }
    Provision provision =
        new Provision(
            appId, nonce, request.name(), compose, placement, image, kmsType, clock.instant());
    provisions.put(provision.key(), provision);
    return provision;
  }

  /**
   * The provision a commit names, removed; on-chain KMS apps get their id from the contract the
   * client deployed after provision, so those are found by compose hash alone.
   */
  Provision take(String appId, String composeHash) {
    Provision provision = provisions.remove(Provision.key(appId, composeHash));
    if (provision == null) {
      provision = provisions.remove(Provision.key(onChainKey(composeHash), composeHash));
    }
    if (provision == null) {
      throw CloudError.plain(422, "Provision data not found, please provision again");
    }
    return provision;
  }

  void reset() {
    provisions.clear();
    nextNonce = 0;
  }

  private static String onChainKey(String composeHash) {
    return "onchain-" + composeHash;
  }

  private Placement placement(ProvisionRequest request) {
    String typeId = request.instanceType() == null ? "tdx.small" : request.instanceType();
    Catalog.InstanceType type =
        Catalog.instanceType(typeId)
            .orElseThrow(() -> CloudError.plain(400, "Unknown instance type " + typeId));
    Placement.Node node = nodes.pick(request.nodeId(), request.region());
    return new Placement(
        type.id(),
        request.vcpu() != null ? request.vcpu() : type.vcpu(),
        request.memoryMb() != null ? request.memoryMb() : type.memoryMb(),
        request.diskGb() != null ? request.diskGb() : Catalog.DEFAULT_DISK_GB,
        node);
  }

  private static String kmsType(String requested) {
    if (requested == null) {
      return "phala";
    }
    String lower = requested.toLowerCase(Locale.ROOT);
    return switch (lower) {
      case "phala", "ethereum", "base" -> lower;
      case "eth" -> "ethereum";
      default -> throw CloudError.invalidField("kms", "kms must be one of PHALA, ETHEREUM, BASE");
    };
  }
}
