package cloud.phala.operator.simulator.cloud;

import cloud.phala.operator.crypto.EnvOpener;
import cloud.phala.operator.crypto.EnvVar;
import cloud.phala.operator.crypto.SealedEnv;
import cloud.phala.operator.simulator.SimulatorConfig;
import cloud.phala.operator.simulator.time.SimTime;
import cloud.phala.operator.simulator.time.SystemTime;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The simulated cloud's state and every operation on it, some carried out by collaborators (power,
 * replicas, reconfiguration, pending compose updates). One lock, this world's, guards it all: the
 * simulator serves tests and demos, where a simple, obviously correct model beats throughput.
 */
public final class World implements AutoCloseable {
  private final SimulatorConfig config;
  private final Ids ids;
  private final KmsAuthority kms;
  private final SimTime time;
  private final boolean ownsTime;
  private final Clock clock;
  private final PowerCycle power;
  private final Provisioner provisioner;
  private final CvmDirectory cvms = new CvmDirectory();
  private final Apps apps;
  private final PendingComposeUpdates pendingComposeUpdates;
  private final Availability availability = new Availability();
  private final RevisionHistory revisions;
  private final Reconfiguration reconfiguration;
  private final CvmFactory cvmFactory;
  private final Replicas replicas;
  private final Nodes nodes = new Nodes(cvms);
  private final Maintenance maintenance;
  private final Deploys deploys;
  private final OnChainContracts chain;
  private final OnChainDesk onChain;
  private volatile DomainFaults faults = DomainFaults.NONE;

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
    Lifecycle lifecycle = new Lifecycle(this, time, this::recordAvailability);
    this.power = new PowerCycle(config, ids, clock, lifecycle, () -> this.faults);
    this.apps = new Apps(kms, clock);
    this.cvmFactory = new CvmFactory(ids, clock, cvms, power);
    this.provisioner = new Provisioner(ids, config.gatewayDomain(), clock, nodes);
    this.revisions = new RevisionHistory(ids);
    this.chain = new OnChainContracts(ids, kms, clock);
    this.replicas = new Replicas(cvms, cvmFactory, revisions, clock, nodes, chain);
    this.reconfiguration = new Reconfiguration(chain, clock, power, revisions);
    this.onChain = new OnChainDesk(this, cvms, reconfiguration, chain);
    this.pendingComposeUpdates = new PendingComposeUpdates(config.gatewayDomain());
    this.maintenance = new Maintenance(power, reconfiguration);
    this.deploys =
        new Deploys(provisioner, cvms, apps, kms, cvmFactory, revisions, nodes, clock, chain);
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

  /** Two-phase updates and allow-lists of on-chain KMS apps. */
  public OnChainDesk onChain() {
    return onChain;
  }

  public void setFaults(DomainFaults faults) {
    this.faults = Objects.requireNonNull(faults);
  }

  // ---- deploy -------------------------------------------------------------------------------

  public synchronized List<Map.Entry<String, Long>> nextAppIds(int count) {
    return provisioner.nextAppIds(count);
  }

  public synchronized ProvisionResult provision(ProvisionRequest request) {
    return deploys.provision(request);
  }

  public synchronized CvmSnapshot commit(
      String appId, String composeHash, String encryptedEnv, List<String> envKeys) {
    return deploys.commit(appId, composeHash, encryptedEnv, envKeys).snapshot();
  }

  /** A new CVM of the source's app, booting the live compose {@code composeHash} names. */
  public synchronized CvmSnapshot replicate(
      String identifier, String encryptedEnv, Integer nodeId, String composeHash) {
    EncryptedEnvInput.requireHex(encryptedEnv);
    return replicas.replicate(cvms.find(identifier), encryptedEnv, nodeId, composeHash).snapshot();
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

  public synchronized Set<String> appIds() {
    return apps.ids();
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
    EncryptedEnvInput.requireHex(change.encryptedEnv());
    return reconfiguration.change(cvms.find(identifier), change, OnChainProof.NONE);
  }

  public synchronized ComposeUpdateResult provisionComposeUpdate(
      String identifier, JsonNode requested, boolean updateEnvVars) {
    return pendingComposeUpdates.provision(cvms.find(identifier), requested, updateEnvVars);
  }

  public synchronized ChangeAccepted commitComposeUpdate(
      String identifier,
      String composeHash,
      String encryptedEnv,
      List<String> envKeys,
      boolean updateEnvVars) {
    Cvm cvm = cvms.find(identifier);
    AppCompose compose = pendingComposeUpdates.get(cvm, composeHash);
    List<String> allowed = updateEnvVars && envKeys != null ? envKeys : null;
    ChangeAccepted accepted =
        change(identifier, new ConfigChange(encryptedEnv, allowed, null, null, compose));
    pendingComposeUpdates.remove(cvm, composeHash);
    return accepted;
  }

  /** Restarts a CVM on a revision of its own app (404 for another's); the correlation id. */
  public synchronized String redeploy(String identifier, String revisionId) {
    Cvm cvm = cvms.find(identifier);
    return reconfiguration.redeploy(cvm, revisions.get(cvm.app.appId, revisionId));
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

  /** A test hook: a revision's sealed env, opened, as the sender sealed it (none for no env). */
  public synchronized List<EnvVar> sealedEnvOf(AppRevision revision) {
    if (revision.encryptedEnv() == null || revision.encryptedEnv().isEmpty()) {
      return List.of();
    }
    return EnvOpener.open(
        apps.envKey(revision.appId()), SealedEnv.fromHex(revision.encryptedEnv()));
  }

  // ---- day two -------------------------------------------------------------------------------

  /** Moves a CVM to another OS image; returns the operation's correlation id. */
  public synchronized String upgradeOsImage(String identifier, String imageName) {
    return maintenance.upgrade(cvms.find(identifier), imageName);
  }

  public synchronized List<OsImage> availableOsImages(String identifier) {
    return OsImages.availableFrom(cvms.find(identifier).osImage);
  }

  public synchronized CvmSnapshot resize(String identifier, Resize resize) {
    return maintenance.resize(cvms.find(identifier), resize).snapshot();
  }

  public synchronized CvmSnapshot setVisibility(
      String identifier, boolean logs, boolean sysinfo, Boolean tcbinfo) {
    return maintenance.visibility(cvms.find(identifier), logs, sysinfo, tcbinfo).snapshot();
  }

  public synchronized List<NodeLoad> nodes() {
    return nodes.loads();
  }

  /** A test hook: how many CVMs node {@code nodeId} holds (0 fills it up). */
  public synchronized void setNodeSlots(int nodeId, int slots) {
    nodes.setSlots(nodeId, slots);
  }

  public synchronized CvmSnapshot restart(String identifier) {
    Cvm cvm = cvms.find(identifier);
    cvm.requireIdle();
    power.restart(cvm, CvmStatus.RESTARTING);
    revisions.record(cvm, RevisionHistory.RESTART, clock.instant());
    return cvm.snapshot();
  }

  public synchronized CvmSnapshot start(String identifier) {
    Cvm cvm = cvms.find(identifier);
    cvm.requireIdle();
    if (!CvmStatus.RUNNING.equals(cvm.status)) {
      power.powerOn(cvm);
    }
    return cvm.snapshot();
  }

  /** {@code force}: stop ({@code stopping}); otherwise a graceful shutdown. */
  public synchronized CvmSnapshot stop(String identifier, boolean force) {
    Cvm cvm = cvms.find(identifier);
    cvm.requireIdle();
    if (!CvmStatus.STOPPED.equals(cvm.status)) {
      power.powerOff(cvm, force);
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
    cvmFactory.reset();
    nodes.reset();
    chain.clear();
  }

  /** Records every app's availability after a change of any CVM. */
  private void recordAvailability() {
    availability.record(clock.instant(), apps.ids(), cvms.all());
  }

  @Override
  public void close() {
    if (ownsTime) {
      time.close();
    }
  }
}
