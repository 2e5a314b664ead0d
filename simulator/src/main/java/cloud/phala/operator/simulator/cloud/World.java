package cloud.phala.operator.simulator.cloud;

import cloud.phala.operator.crypto.AppId;
import cloud.phala.operator.crypto.EnvPrivateKey;
import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.simulator.SimulatorConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The simulated cloud's state and every operation on it. One lock guards it all: the simulator
 * serves tests and demos, where a simple, obviously correct model beats throughput.
 */
public final class World implements AutoCloseable {
  private static final Pattern HEX = Pattern.compile("(?i)(0x)?([0-9a-f]{2})*");

  private final SimulatorConfig config;
  private final Ids ids;
  private final KmsAuthority kms;
  private final Clock clock = Clock.systemUTC();
  private final Lifecycle lifecycle;
  private final CvmDirectory cvms = new CvmDirectory();
  private final Map<String, App> apps = new HashMap<>();
  private final Map<String, Provision> provisions = new HashMap<>();
  private final Map<String, AppCompose> pendingComposeUpdates = new HashMap<>();
  private final Map<String, AvailabilityTimeline> timelines = new HashMap<>();
  private volatile DomainFaults faults = DomainFaults.NONE;
  private long nextNonce;
  private int nextCvmId = 1;
  private long operations;

  public World(SimulatorConfig config) {
    this.config = config;
    this.ids = new Ids(config.seed());
    this.kms = new KmsAuthority(ids, config.gatewayDomain());
    this.lifecycle = new Lifecycle(this, this::recordAvailability);
  }

  public KmsAuthority kms() {
    return kms;
  }

  public SimulatorConfig config() {
    return config;
  }

  public String deviceId() {
    return ids.deviceId();
  }

  public void setFaults(DomainFaults faults) {
    this.faults = Objects.requireNonNull(faults);
  }

  // ---- deploy -------------------------------------------------------------------------------

  public synchronized List<Map.Entry<String, Long>> nextAppIds(int count) {
    List<Map.Entry<String, Long>> out = new ArrayList<>();
    for (long n = nextNonce; n < nextNonce + count; n++) {
      out.add(Map.entry(AppIds.createAddress(ids.teamWallet(), n), n));
    }
    return out;
  }

  public synchronized ProvisionResult provision(ProvisionRequest request) {
    if (request.name() == null || request.name().isBlank() || request.name().length() > 63) {
      throw CloudError.invalidField("name", "name must be 1 to 63 characters");
    }
    if (cvms.nameTaken(request.name())) {
      throw new CloudError(
          409,
          "ERR-01-004",
          "A CVM named " + request.name() + " already exists",
          List.of(Map.of("field", "name", "value", request.name())));
    }
    String dockerCompose = request.composeFile().path("docker_compose_file").asText("");
    if (dockerCompose.isBlank()) {
      throw CloudError.plain(
          400, "Invalid Docker Compose configuration: docker_compose_file is empty");
    }
    Placement placement = placement(request);
    String kmsType = kmsType(request.kms());
    AppCompose compose = AppCompose.fromRequest(request.composeFile(), config.gatewayDomain());
    if (request.envKeys() != null && !request.envKeys().isEmpty()) {
      compose = compose.withAllowedEnvs(request.envKeys());
    }
    String appId = null;
    long nonce = -1;
    if (!"phala".equals(kmsType)) {
      appId = "onchain-" + compose.hash();
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
        new Provision(appId, nonce, request.name(), compose, placement, kmsType, clock.instant());
    provisions.put(provision.key(), provision);
    boolean onChain = !"phala".equals(kmsType);
    return new ProvisionResult(
        compose.hash(),
        onChain ? null : appId,
        onChain ? null : envKeyFor(appId).publicKey().toHex(),
        placement.instanceType(),
        placement.node().id(),
        onChain);
  }

  public synchronized CvmSnapshot commit(
      String appId, String composeHash, String encryptedEnv, List<String> envKeys) {
    requireHex("encrypted_env", encryptedEnv);
    String normalized = CvmDirectory.normalizeAppId(appId);
    Provision provision = provisions.get(Provision.key(normalized, composeHash));
    if (provision == null) {
      provision = onChainProvision(composeHash);
    }
    if (provision == null) {
      throw CloudError.plain(422, "Provision data not found, please provision again");
    }
    if (!cvms.ofApp(normalized).isEmpty()) {
      throw new CloudError(
          409,
          "ERR-03-007",
          "App " + normalized + " already has CVMs",
          List.of(Map.of("field", "app_id", "value", normalized)));
    }
    if (cvms.nameTaken(provision.name())) {
      throw new CloudError(
          409,
          "ERR-01-004",
          "A CVM named " + provision.name() + " already exists",
          List.of(Map.of("field", "name", "value", provision.name())));
    }
    AppCompose compose =
        envKeys == null || envKeys.isEmpty()
            ? provision.compose()
            : provision.compose().withAllowedEnvs(envKeys);
    App app = appFor(normalized, provision.kmsType());
    provisions.remove(provision.key());
    Cvm cvm =
        create(app, provision.name(), provision.placement(), compose, emptyToNull(encryptedEnv));
    return cvm.snapshot();
  }

  /** On-chain KMS apps get their id from the contract the client deployed after provision. */
  private Provision onChainProvision(String composeHash) {
    return provisions.get(Provision.key("onchain-" + composeHash, composeHash));
  }

  public synchronized CvmSnapshot replicate(
      String identifier, String encryptedEnv, Integer nodeId) {
    requireHex("encrypted_env", encryptedEnv);
    Cvm source = cvms.find(identifier);
    Placement placement = source.placement;
    if (nodeId != null) {
      Placement.Node node =
          Catalog.node(nodeId, null)
              .orElseThrow(() -> CloudError.plain(400, "Node " + nodeId + " is not available"));
      placement =
          new Placement(
              placement.instanceType(),
              placement.vcpu(),
              placement.memoryMb(),
              placement.diskGb(),
              node);
    }
    String env = encryptedEnv == null ? source.encryptedEnv : emptyToNull(encryptedEnv);
    String name = source.name + "-r" + nextCvmId;
    return create(source.app, name, placement, source.compose, env).snapshot();
  }

  private Cvm create(App app, String name, Placement placement, AppCompose compose, String env) {
    int id = nextCvmId++;
    Cvm cvm =
        new Cvm(
            id,
            ids.hashedCvmId(id),
            ids.vmUuid(id),
            ids.instanceId(id),
            name,
            app,
            placement,
            clock.instant(),
            compose,
            env);
    cvms.add(cvm);
    beginOperation(cvm, CvmStatus.RUNNING);
    lifecycle.run(
        cvm, List.of(new Lifecycle.Step(CvmStatus.STARTING, config.bootTime())), this::boot);
    return cvm;
  }

  // ---- read -----------------------------------------------------------------------------------

  public synchronized CvmSnapshot get(String identifier) {
    return cvms.find(identifier).snapshot();
  }

  public synchronized List<CvmSnapshot> list() {
    return cvms.all().stream().map(Cvm::snapshot).toList();
  }

  /** One page in creation order, and the total; only the page's CVMs are copied. */
  public synchronized Map.Entry<List<CvmSnapshot>, Integer> page(int from, int size) {
    List<CvmSnapshot> items = cvms.slice(from, from + size).stream().map(Cvm::snapshot).toList();
    return Map.entry(items, cvms.size());
  }

  public synchronized List<CvmSnapshot> listApp(String appId) {
    return cvms.ofApp(appId).stream().map(Cvm::snapshot).toList();
  }

  public synchronized List<AvailabilityPoint> timeline(String appId) {
    AvailabilityTimeline timeline = timelines.get(CvmDirectory.normalizeAppId(appId));
    return timeline == null ? List.of() : timeline.points();
  }

  public synchronized Map<String, String> envPubkey(
      String kmsIdOrSlug, String appIdHex, Long timestamp) {
    if (!kms.answersTo(kmsIdOrSlug)) {
      throw new CloudError(
          404,
          "ERR-05-001",
          "KMS not found",
          List.of(Map.of("field", "kms_id", "value", kmsIdOrSlug)));
    }
    AppId appId;
    try {
      appId = AppId.fromHex(appIdHex);
    } catch (IllegalArgumentException e) {
      throw CloudError.plain(400, "Invalid app_id: expected 40 hex characters, with or without 0x");
    }
    EnvPublicKey key = envKeyFor(appId.toHex()).publicKey();
    String legacy = kms.signLegacy(appId, key);
    Map<String, String> out = new java.util.LinkedHashMap<>();
    out.put("public_key", key.toHex());
    out.put("signature", faults.corruptKmsSignature(appId.toHex()) ? corrupt(legacy) : legacy);
    if (timestamp != null) {
      out.put("timestamp", Long.toString(timestamp));
      out.put("signature_v1", kms.signTimestamped(appId, key, timestamp));
    }
    return out;
  }

  // ---- change ---------------------------------------------------------------------------------

  public synchronized ChangeAccepted change(String identifier, ConfigChange change) {
    requireHex("encrypted_env", change.encryptedEnv());
    Cvm cvm = cvms.find(identifier);
    if (cvm.inProgress) {
      throw CloudError.busy();
    }
    AppCompose compose = change.compose() != null ? change.compose() : cvm.compose;
    if (change.dockerComposeFile() != null) {
      compose = compose.withDockerComposeFile(change.dockerComposeFile());
    }
    if (change.preLaunchScript() != null) {
      compose = compose.withPreLaunchScript(change.preLaunchScript());
    }
    boolean allowedChanged = false;
    if (change.allowedEnvs() != null) {
      allowedChanged = !Set.copyOf(change.allowedEnvs()).equals(Set.copyOf(compose.allowedEnvs()));
      compose = compose.withAllowedEnvs(List.copyOf(new LinkedHashSet<>(change.allowedEnvs())));
    }
    if (cvm.app.onChainKms() && !compose.hash().equals(cvm.compose.hash())) {
      throw hashRegistrationRequired(cvm, compose);
    }
    cvm.compose = compose;
    if (change.encryptedEnv() != null) {
      cvm.encryptedEnv = emptyToNull(change.encryptedEnv());
    }
    restart(cvm, CvmStatus.SHUTTING_DOWN);
    return new ChangeAccepted(cvm.correlationId, allowedChanged);
  }

  public synchronized ComposeUpdateResult provisionComposeUpdate(
      String identifier, JsonNode requested, boolean updateEnvVars) {
    Cvm cvm = cvms.find(identifier);
    AppCompose compose = AppCompose.fromRequest(requested, config.gatewayDomain());
    if (!updateEnvVars) {
      compose = compose.withAllowedEnvs(cvm.compose.allowedEnvs());
    }
    pendingComposeUpdates.put(cvm.id + "/" + compose.hash(), compose);
    return new ComposeUpdateResult(cvm.app.appId, compose.hash());
  }

  public synchronized ChangeAccepted commitComposeUpdate(
      String identifier,
      String composeHash,
      String encryptedEnv,
      List<String> envKeys,
      boolean updateEnvVars) {
    Cvm cvm = cvms.find(identifier);
    AppCompose compose = pendingComposeUpdates.get(cvm.id + "/" + composeHash);
    if (compose == null) {
      throw new CloudError(
          400,
          "ERR-01-006",
          "Compose hash " + composeHash + " was not provisioned for this CVM",
          List.of(Map.of("field", "compose_hash", "value", composeHash)));
    }
    List<String> allowed = updateEnvVars && envKeys != null ? envKeys : null;
    ChangeAccepted accepted =
        change(identifier, new ConfigChange(encryptedEnv, allowed, null, null, compose));
    pendingComposeUpdates.remove(cvm.id + "/" + composeHash);
    return accepted;
  }

  public synchronized CvmSnapshot restart(String identifier) {
    Cvm cvm = cvms.find(identifier);
    if (cvm.inProgress) {
      throw CloudError.busy();
    }
    restart(cvm, CvmStatus.RESTARTING);
    return cvm.snapshot();
  }

  public synchronized CvmSnapshot start(String identifier) {
    Cvm cvm = cvms.find(identifier);
    if (cvm.inProgress) {
      throw CloudError.busy();
    }
    if (!CvmStatus.RUNNING.equals(cvm.status)) {
      beginOperation(cvm, CvmStatus.RUNNING);
      lifecycle.run(
          cvm, List.of(new Lifecycle.Step(CvmStatus.STARTING, config.bootTime())), this::boot);
    }
    return cvm.snapshot();
  }

  /** {@code force}: stop ({@code stopping}); otherwise a graceful shutdown. */
  public synchronized CvmSnapshot stop(String identifier, boolean force) {
    Cvm cvm = cvms.find(identifier);
    if (cvm.inProgress) {
      throw CloudError.busy();
    }
    if (!CvmStatus.STOPPED.equals(cvm.status)) {
      beginOperation(cvm, CvmStatus.STOPPED);
      String status = force ? CvmStatus.STOPPING : CvmStatus.SHUTTING_DOWN;
      lifecycle.run(cvm, List.of(new Lifecycle.Step(status, config.shutdownTime())), this::halt);
    }
    return cvm.snapshot();
  }

  public synchronized void delete(String identifier) {
    Cvm cvm = cvms.find(identifier);
    cvm.deleted = true;
    cvm.operation++;
    cvms.remove(cvm);
    recordAvailability();
  }

  public synchronized void reset() {
    cvms.all().forEach(c -> c.deleted = true);
    cvms.clear();
    apps.clear();
    provisions.clear();
    pendingComposeUpdates.clear();
    timelines.clear();
    nextNonce = 0;
    nextCvmId = 1;
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  private void restart(Cvm cvm, String firstStatus) {
    beginOperation(cvm, CvmStatus.RUNNING);
    lifecycle.run(
        cvm,
        List.of(
            new Lifecycle.Step(firstStatus, config.shutdownTime()),
            new Lifecycle.Step(CvmStatus.STARTING, config.bootTime())),
        this::boot);
  }

  private void beginOperation(Cvm cvm, String target) {
    cvm.operation++;
    cvm.inProgress = true;
    cvm.progressTarget = target;
    cvm.progressStartedAt = clock.instant();
    cvm.correlationId = ids.correlationId(++operations);
    cvm.bootError = null;
  }

  private void boot(Cvm cvm) {
    DomainFaults.BootFault fault = faults.nextBoot(cvm.snapshot());
    if (fault == DomainFaults.BootFault.HANG) {
      return;
    }
    BootOutcome outcome =
        fault == DomainFaults.BootFault.FAIL
            ? BootOutcome.failed("Boot failed (injected fault)")
            : Guest.boot(cvm.app.envKey, cvm.encryptedEnv, Set.copyOf(cvm.compose.allowedEnvs()));
    cvm.inProgress = false;
    cvm.progressTarget = null;
    cvm.boots++;
    if (outcome.succeeded()) {
      cvm.status = CvmStatus.RUNNING;
      cvm.runningSince = clock.instant();
      cvm.bootedEnv = outcome.env();
      cvm.bootedComposeHash = cvm.compose.hash();
      cvm.bootedEncryptedEnv = cvm.encryptedEnv;
    } else {
      cvm.status = CvmStatus.ERROR;
      cvm.bootError = outcome.error().orElseThrow();
      cvm.runningSince = null;
      cvm.bootedEnv = List.of();
    }
  }

  private void halt(Cvm cvm) {
    cvm.status = CvmStatus.STOPPED;
    cvm.inProgress = false;
    cvm.progressTarget = null;
    cvm.runningSince = null;
  }

  private void recordAvailability() {
    Instant now = clock.instant();
    Map<String, int[]> counts = new HashMap<>();
    apps.keySet().forEach(appId -> counts.put(appId, new int[2]));
    for (Cvm cvm : cvms.all()) {
      int[] c = counts.computeIfAbsent(cvm.app.appId, k -> new int[2]);
      c[1]++;
      if (cvm.serving()) {
        c[0]++;
      }
    }
    counts.forEach(
        (appId, c) ->
            timelines
                .computeIfAbsent(appId, k -> new AvailabilityTimeline())
                .record(now, c[0], c[1]));
  }

  // ---- helpers --------------------------------------------------------------------------------

  private App appFor(String appId, String kmsType) {
    return apps.computeIfAbsent(appId, id -> new App(id, envKeyFor(id), kmsType, clock.instant()));
  }

  /** Like the dstack KMS, the key depends only on the root secret and the app id. */
  private EnvPrivateKey envKeyFor(String appId) {
    return EnvPrivateKey.fromHex(HexFormat.of().formatHex(ids.seedBytes("app-env-key:" + appId)));
  }

  private Placement placement(ProvisionRequest request) {
    String typeId = request.instanceType() == null ? "tdx.small" : request.instanceType();
    Catalog.InstanceType type =
        Catalog.instanceType(typeId)
            .orElseThrow(() -> CloudError.plain(400, "Unknown instance type " + typeId));
    Placement.Node node =
        Catalog.node(request.nodeId(), request.region())
            .orElseThrow(
                () -> CloudError.plain(400, "No node is available for that region or node id"));
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
    String lower = requested.toLowerCase(java.util.Locale.ROOT);
    return switch (lower) {
      case "phala", "ethereum", "base" -> lower;
      case "eth" -> "ethereum";
      default -> throw CloudError.invalidField("kms", "kms must be one of PHALA, ETHEREUM, BASE");
    };
  }

  private CloudError hashRegistrationRequired(Cvm cvm, AppCompose compose) {
    Map<String, Object> kmsInfo =
        Map.of("id", kms.id(), "slug", KmsAuthority.SLUG, "url", kms.url());
    return new CloudError(
        465,
        "ERR-01-005",
        "Compose hash must be registered on-chain before this update",
        List.of(
            Map.of("field", "compose_hash", "value", compose.hash()),
            Map.of("field", "app_id", "value", cvm.app.appId),
            Map.of("field", "device_id", "value", ids.deviceId()),
            Map.of("field", "kms_info", "value", kmsInfo)));
  }

  private static void requireHex(String field, String value) {
    if (value != null && !HEX.matcher(value).matches()) {
      throw CloudError.invalidField(field, field + " must be a hex string");
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String corrupt(String signatureHex) {
    char first = signatureHex.charAt(0);
    return (first == '0' ? '1' : '0') + signatureHex.substring(1);
  }

  @Override
  public void close() {
    lifecycle.close();
  }
}
