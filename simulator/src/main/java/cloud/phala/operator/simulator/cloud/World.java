package cloud.phala.operator.simulator.cloud;

import cloud.phala.operator.crypto.EnvOpener;
import cloud.phala.operator.crypto.EnvVar;
import cloud.phala.operator.crypto.SealedEnv;
import cloud.phala.operator.simulator.SimulatorConfig;
import cloud.phala.operator.simulator.time.SimTime;
import cloud.phala.operator.simulator.time.SystemTime;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
  private final SimTime time;
  private final boolean ownsTime;
  private final Clock clock;
  private final Lifecycle lifecycle;
  private final Provisioner provisioner;
  private final CvmDirectory cvms = new CvmDirectory();
  private final Map<String, App> apps = new HashMap<>();
  private final Map<String, AppCompose> pendingComposeUpdates = new HashMap<>();
  private final Availability availability = new Availability();
  private final RevisionHistory revisions;
  private volatile DomainFaults faults = DomainFaults.NONE;
  private int nextCvmId = 1;
  private long operations;

  /** A world on real time, with a timer thread of its own that {@link #close()} stops. */
  public World(SimulatorConfig config) {
    this(config, new SystemTime(), true);
  }

  /** A world on {@code time}, which the caller keeps (and closes). */
  public World(SimulatorConfig config, SimTime time) {
    this(config, time, false);
  }

  private World(SimulatorConfig config, SimTime time, boolean ownsTime) {
    this.config = config;
    this.time = time;
    this.ownsTime = ownsTime;
    this.clock = time.clock();
    this.ids = new Ids(config.seed());
    this.kms = new KmsAuthority(ids, config.gatewayDomain());
    this.lifecycle = new Lifecycle(this, time, this::recordAvailability);
    this.provisioner = new Provisioner(ids, config.gatewayDomain(), clock);
    this.revisions = new RevisionHistory(ids);
  }

  public KmsAuthority kms() {
    return kms;
  }

  public SimulatorConfig config() {
    return config;
  }

  /** The time this world runs on: its clock, timers and waits. */
  public SimTime time() {
    return time;
  }

  public String deviceId() {
    return ids.deviceId();
  }

  public void setFaults(DomainFaults faults) {
    this.faults = Objects.requireNonNull(faults);
  }

  // ---- deploy -------------------------------------------------------------------------------

  public synchronized List<Map.Entry<String, Long>> nextAppIds(int count) {
    return provisioner.nextAppIds(count);
  }

  public synchronized ProvisionResult provision(ProvisionRequest request) {
    if (request.name() != null && cvms.nameTaken(request.name())) {
      throw nameTaken(request.name());
    }
    Provision provision = provisioner.provision(request);
    boolean onChain = !"phala".equals(provision.kmsType());
    return new ProvisionResult(
        provision.compose().hash(),
        onChain ? null : provision.appId(),
        onChain ? null : kms.envKey(provision.appId()).publicKey().toHex(),
        provision.placement().instanceType(),
        provision.placement().node().id(),
        onChain);
  }

  public synchronized CvmSnapshot commit(
      String appId, String composeHash, String encryptedEnv, List<String> envKeys) {
    requireHex("encrypted_env", encryptedEnv);
    String normalized = CvmDirectory.normalizeAppId(appId);
    if (!cvms.ofApp(normalized).isEmpty()) {
      throw new CloudError(
          409,
          "ERR-03-007",
          "App " + normalized + " already has CVMs",
          List.of(Map.of("field", "app_id", "value", normalized)));
    }
    Provision provision = provisioner.take(normalized, composeHash);
    if (cvms.nameTaken(provision.name())) {
      throw nameTaken(provision.name());
    }
    AppCompose compose =
        envKeys == null || envKeys.isEmpty()
            ? provision.compose()
            : provision.compose().withAllowedEnvs(envKeys);
    App app = appFor(normalized, provision.kmsType());
    Cvm cvm =
        create(app, provision.name(), provision.placement(), compose, emptyToNull(encryptedEnv));
    revisions.record(cvm, RevisionHistory.DEPLOY, clock.instant());
    return cvm.snapshot();
  }

  /**
   * A new CVM of the source's app. It boots the app compose named by {@code composeHash}, which
   * must be one of the app's live composes, or with none named the app's only live compose (an app
   * that runs several must name one: {@code ERR-03-009}); so its allowed env keys are that
   * compose's, whatever keys {@code encryptedEnv} holds.
   */
  public synchronized CvmSnapshot replicate(
      String identifier, String encryptedEnv, Integer nodeId, String composeHash) {
    requireHex("encrypted_env", encryptedEnv);
    Cvm source = cvms.find(identifier);
    AppCompose compose = replicaCompose(source, composeHash);
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
    Cvm replica = create(source.app, name, placement, compose, env);
    revisions.record(replica, RevisionHistory.DEPLOY, clock.instant());
    return replica.snapshot();
  }

  private AppCompose replicaCompose(Cvm source, String composeHash) {
    Map<String, AppCompose> live = new LinkedHashMap<>();
    cvms.ofApp(source.app.appId).forEach(c -> live.putIfAbsent(c.compose.hash(), c.compose));
    if (composeHash != null) {
      AppCompose named = live.get(composeHash.toLowerCase(Locale.ROOT).replaceFirst("^0x", ""));
      if (named == null) {
        throw CloudError.plain(
            400, "Compose hash " + composeHash + " is not a live compose of this app");
      }
      return named;
    }
    if (live.size() > 1) {
      throw new CloudError(
          400,
          "ERR-03-009",
          "App "
              + source.app.appId
              + " runs "
              + live.size()
              + " compose hashes; name the one to replicate with compose_hash",
          List.of(Map.of("field", "compose_hash", "value", List.copyOf(live.keySet()))));
    }
    return source.compose;
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

  /** The ids of every app this world has made a CVM for, live CVMs or not. */
  public synchronized Set<String> appIds() {
    return Set.copyOf(apps.keySet());
  }

  public synchronized List<CvmSnapshot> listApp(String appId) {
    return cvms.ofApp(appId).stream().map(Cvm::snapshot).toList();
  }

  public synchronized List<AvailabilityPoint> timeline(String appId) {
    return availability.of(CvmDirectory.normalizeAppId(appId));
  }

  public synchronized Map<String, String> envPubkey(
      String kmsIdOrSlug, String appIdHex, Long timestamp) {
    return kms.signedEnvKey(kmsIdOrSlug, appIdHex, timestamp, faults::corruptKmsSignature);
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
      throw kms.hashRegistrationRequired(cvm.app.appId, compose.hash(), ids.deviceId());
    }
    cvm.compose = compose;
    if (change.encryptedEnv() != null) {
      cvm.encryptedEnv = emptyToNull(change.encryptedEnv());
    }
    restart(cvm, CvmStatus.SHUTTING_DOWN);
    revisions.record(cvm, RevisionHistory.UPDATE, clock.instant());
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

  /**
   * Restarts a CVM on a revision of its own app: that revision's app compose (so its allowed keys
   * and pre-launch script) and sealed env. Another app's revision is not found (404). Returns the
   * operation's correlation id.
   */
  public synchronized String redeploy(String identifier, String revisionId) {
    Cvm cvm = cvms.find(identifier);
    AppRevision revision = revisions.get(cvm.app.appId, revisionId);
    if (cvm.inProgress) {
      throw CloudError.busy();
    }
    if (cvm.app.onChainKms() && !revision.composeHash().equals(cvm.compose.hash())) {
      throw kms.hashRegistrationRequired(cvm.app.appId, revision.composeHash(), ids.deviceId());
    }
    cvm.compose = revision.compose();
    cvm.encryptedEnv = revision.encryptedEnv();
    restart(cvm, CvmStatus.SHUTTING_DOWN);
    revisions.record(cvm, RevisionHistory.REDEPLOY, clock.instant());
    return cvm.correlationId;
  }

  /** One page of an app's revisions, newest first, and how many it has. */
  public synchronized Map.Entry<List<AppRevision>, Integer> revisions(
      String appId, int from, int size) {
    String app = CvmDirectory.normalizeAppId(appId);
    return Map.entry(revisions.page(app, from, size), revisions.count(app));
  }

  public synchronized AppRevision revision(String appId, String revisionId) {
    return revisions.get(CvmDirectory.normalizeAppId(appId), revisionId);
  }

  /**
   * Every variable a revision's sealed env holds, opened with its app's key, in sealed order (none
   * for no env). A test hook like {@code /_sim/cvms/{id}/env}: it shows what the sender sealed,
   * before the guest drops keys outside {@code allowed_envs}.
   */
  public synchronized List<EnvVar> sealedEnvOf(AppRevision revision) {
    if (revision.encryptedEnv() == null || revision.encryptedEnv().isEmpty()) {
      return List.of();
    }
    App app = apps.get(revision.appId());
    return EnvOpener.open(
        app != null ? app.envKey : kms.envKey(revision.appId()),
        SealedEnv.fromHex(revision.encryptedEnv()));
  }

  public synchronized CvmSnapshot restart(String identifier) {
    Cvm cvm = cvms.find(identifier);
    if (cvm.inProgress) {
      throw CloudError.busy();
    }
    restart(cvm, CvmStatus.RESTARTING);
    revisions.record(cvm, RevisionHistory.RESTART, clock.instant());
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
      lifecycle.run(cvm, List.of(new Lifecycle.Step(status, config.shutdownTime())), Cvm::halted);
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
    provisioner.reset();
    pendingComposeUpdates.clear();
    revisions.clear();
    availability.clear();
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
    cvm.booted(
        fault == DomainFaults.BootFault.FAIL
            ? BootOutcome.failed("Boot failed (injected fault)")
            : Guest.boot(cvm.app.envKey, cvm.encryptedEnv, Set.copyOf(cvm.compose.allowedEnvs())),
        clock.instant());
  }

  private void recordAvailability() {
    availability.record(clock.instant(), apps.keySet(), cvms.all());
  }

  // ---- helpers --------------------------------------------------------------------------------

  private App appFor(String appId, String kmsType) {
    return apps.computeIfAbsent(appId, id -> new App(id, kms.envKey(id), kmsType, clock.instant()));
  }

  private static CloudError nameTaken(String name) {
    return new CloudError(
        409,
        "ERR-01-004",
        "A CVM named " + name + " already exists",
        List.of(Map.of("field", "name", "value", name)));
  }

  private static void requireHex(String field, String value) {
    if (value != null && !HEX.matcher(value).matches()) {
      throw CloudError.invalidField(field, field + " must be a hex string");
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  @Override
  public void close() {
    if (ownsTime) {
      time.close();
    }
  }
}
