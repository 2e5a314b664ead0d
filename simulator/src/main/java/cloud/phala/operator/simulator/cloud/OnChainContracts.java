package cloud.phala.operator.simulator.cloud;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The simulated chain: each on-chain KMS app's DstackApp contract (the compose hashes and devices
 * it allows), the transactions that changed them, and the updates that wait for a registration.
 * Only the {@code /_sim} hooks send transactions: no wallet, no RPC. Guarded by the world's lock.
 */
final class OnChainContracts {
  static final Duration TOKEN_TTL = Duration.ofMinutes(30);
  static final String KMS_CONTRACT = "0x" + "4b".repeat(20);

  private final Ids ids;
  private final KmsAuthority kms;
  private final Clock clock;
  private final Map<String, Contract> contracts = new HashMap<>();
  private final Map<String, String> transactions = new HashMap<>();
  private final Map<String, PendingUpdate> pending = new LinkedHashMap<>();
  private long counter;

  /** One app's contract: what it allows. */
  static final class Contract {
    final String appId;
    final String kmsType;
    final Set<String> composeHashes = new LinkedHashSet<>();
    final Set<String> devices = new LinkedHashSet<>();
    boolean allowAnyDevice;

    Contract(String appId, String kmsType) {
      this.appId = appId;
      this.kmsType = kmsType;
    }

    String address() {
      return "0x" + appId;
    }

    long chainId() {
      return chainId(kmsType);
    }

    static long chainId(String kmsType) {
      return "base".equals(kmsType) ? 8453 : 1;
    }
  }

  /** An update refused with 465 (or prepared only), kept until committed or expired. */
  record PendingUpdate(
      String token,
      Cvm cvm,
      String composeHash,
      ConfigChange change,
      Instant expiresAt,
      boolean tokenFlow) {}

  OnChainContracts(Ids ids, KmsAuthority kms, Clock clock) {
    this.ids = ids;
    this.kms = kms;
    this.clock = clock;
  }

  /** The contract deploy: it allows the first compose hash and the first CVM's device. */
  void deployed(App app, String composeHash, int nodeId) {
    Contract contract = contracts.computeIfAbsent(app.appId, id -> new Contract(id, app.kmsType));
    contract.composeHashes.add(norm(composeHash));
    contract.devices.add(ids.deviceId(nodeId));
  }

  Optional<Contract> of(String appId) {
    return Optional.ofNullable(contracts.get(CvmDirectory.normalizeAppId(appId)));
  }

  boolean hashAllowed(String appId, String composeHash) {
    return of(appId).map(c -> c.composeHashes.contains(norm(composeHash))).orElse(false);
  }

  boolean deviceAllowed(String appId, String deviceId) {
    return of(appId).map(c -> c.allowAnyDevice || c.devices.contains(norm(deviceId))).orElse(false);
  }

  /** {@code addComposeHash(hash)} on the app's contract; the transaction's hash. */
  String addComposeHash(String appId, String composeHash) {
    contract(appId).composeHashes.add(norm(composeHash));
    return transaction(appId, "compose:" + norm(composeHash));
  }

  /** {@code addDevice(id)} or {@code setAllowAnyDevice(true)}; the transaction's hash. */
  String addDevice(String appId, String deviceId, boolean allowAny) {
    Contract contract = contract(appId);
    if (allowAny) {
      contract.allowAnyDevice = true;
    }
    if (deviceId != null) {
      contract.devices.add(norm(deviceId));
    }
    return transaction(appId, "device:" + deviceId + ":" + allowAny);
  }

  /**
   * Lets {@code cvm} move to {@code composeHash}, or throws: 465 (register it first; the update is
   * kept as pending, with a commit token on the token flow), 467 (the transaction is not one that
   * registered a hash for this app), 468 (the hash is not registered).
   */
  void authorize(Cvm cvm, String composeHash, ConfigChange change, OnChainProof proof) {
    String hash = norm(composeHash);
    if (proof.prepareOnly()) {
      throw required(cvm, pend(cvm, hash, change, true));
    }
    if (hash.equals(cvm.compose.hash())) {
      return;
    }
    if (proof.transactionHash() != null) {
      verify(cvm.app.appId, proof.composeHash() == null ? hash : proof.composeHash(), proof);
      settled(cvm, hash);
      return;
    }
    if (!hashAllowed(cvm.app.appId, hash)) {
      throw required(cvm, pend(cvm, hash, change, proof.tokenFlow()));
    }
    settled(cvm, hash);
  }

  /** A redeploy to a kept revision: its hash must be allowed, there is no two-phase flow. */
  void requireAllowed(Cvm cvm, String composeHash) {
    if (!hashAllowed(cvm.app.appId, composeHash)) {
      throw required(cvm, null, norm(composeHash), deviceOf(cvm));
    }
  }

  /** A new CVM of {@code app} on {@code deviceId}: the contract must allow that device. */
  void requireDevice(Cvm source, String composeHash, String deviceId) {
    if (!deviceAllowed(source.app.appId, deviceId)) {
      throw required(source, null, norm(composeHash), deviceId);
    }
  }

  /** {@code POST /cvms/{id}/commit-update}: the pending update the token names, verified. */
  PendingUpdate redeem(Cvm cvm, String token, String composeHash, String transactionHash) {
    PendingUpdate update = pending.get(token);
    if (update == null || update.cvm() != cvm) {
      throw CloudError.plain(404, "Commit token not found for this CVM");
    }
    if (!clock.instant().isBefore(update.expiresAt())) {
      pending.remove(token);
      throw new CloudError(
          466, "ERR-01-006", "The commit token or compose hash registration expired", List.of());
    }
    if (composeHash != null
        && !composeHash.isEmpty()
        && !norm(composeHash).equals(update.composeHash())) {
      throw CloudError.plain(400, "compose_hash does not match the prepared update");
    }
    verify(
        cvm.app.appId, update.composeHash(), new OnChainProof(null, transactionHash, false, true));
    pending.remove(token);
    return update;
  }

  /** Phase two without a token: the pending update of {@code cvm} to that hash, verified. */
  PendingUpdate confirm(Cvm cvm, String composeHash, String transactionHash) {
    PendingUpdate update =
        pending.values().stream()
            .filter(p -> p.cvm() == cvm && p.composeHash().equals(norm(composeHash)))
            .findFirst()
            .orElseThrow(
                () -> CloudError.plain(404, "No update of this CVM waits for that compose hash"));
    return redeem(cvm, update.token(), composeHash, transactionHash);
  }

  Optional<PendingUpdate> tokenInfo(String token) {
    return Optional.ofNullable(pending.get(token));
  }

  /** The updates of {@code appId} waiting for a registration, oldest first. */
  List<PendingUpdate> pending(String appId) {
    String app = CvmDirectory.normalizeAppId(appId);
    List<PendingUpdate> out = new ArrayList<>();
    for (PendingUpdate p : pending.values()) {
      if (p.cvm().app.appId.equals(app)
          && !p.cvm().deleted
          && clock.instant().isBefore(p.expiresAt())) {
        out.add(p);
      }
    }
    return out;
  }

  String deviceOf(Cvm cvm) {
    return deviceOf(cvm.placement.node().id());
  }

  String deviceOf(int nodeId) {
    return ids.deviceId(nodeId);
  }

  void clear() {
    contracts.clear();
    transactions.clear();
    pending.clear();
  }

  private void verify(String appId, String composeHash, OnChainProof proof) {
    String tx =
        proof.transactionHash() == null ? "" : proof.transactionHash().toLowerCase(Locale.ROOT);
    String what = transactions.get(tx);
    if (what == null || !what.startsWith(CvmDirectory.normalizeAppId(appId) + ":")) {
      throw new CloudError(
          467,
          "ERR-01-007",
          "Transaction verification failed: "
              + proof.transactionHash()
              + " registered nothing for this app",
          List.of(
              Map.of(
                  "field", "transaction_hash", "value", String.valueOf(proof.transactionHash()))));
    }
    if (!hashAllowed(appId, composeHash)) {
      throw new CloudError(
          468,
          "ERR-01-008",
          "Compose hash " + norm(composeHash) + " is not registered on-chain",
          List.of(Map.of("field", "compose_hash", "value", norm(composeHash))));
    }
  }

  private PendingUpdate pend(Cvm cvm, String hash, ConfigChange change, boolean tokenFlow) {
    pending.values().removeIf(p -> p.cvm() == cvm && p.composeHash().equals(hash));
    PendingUpdate update =
        new PendingUpdate(
            ids.commitToken(counter++),
            cvm,
            hash,
            change,
            clock.instant().plus(TOKEN_TTL),
            tokenFlow);
    pending.put(update.token(), update);
    return update;
  }

  private void settled(Cvm cvm, String hash) {
    pending.values().removeIf(p -> p.cvm() == cvm && p.composeHash().equals(hash));
  }

  private CloudError required(Cvm cvm, PendingUpdate update) {
    return required(cvm, update.tokenFlow() ? update : null, update.composeHash(), deviceOf(cvm));
  }

  private CloudError required(Cvm cvm, PendingUpdate withToken, String hash, String deviceId) {
    Contract contract = contracts.get(cvm.app.appId);
    // the KmsInfo of the app's on-chain KMS, as GET /kms/{id} gives it (the SDK parses it so)
    Map<String, Object> kmsInfo = new LinkedHashMap<>();
    kmsInfo.put("id", kms.id(cvm.app.kmsType));
    kmsInfo.put("slug", KmsAuthority.slug(cvm.app.kmsType));
    kmsInfo.put("url", kms.url());
    kmsInfo.put("version", "v0.5.4");
    kmsInfo.put("chain_id", Contract.chainId(cvm.app.kmsType));
    kmsInfo.put("kms_contract_address", KMS_CONTRACT);
    kmsInfo.put("gateway_app_id", null);
    kmsInfo.put("app_contract_address", contract == null ? null : contract.address());
    return OnChainRefusal.of(
        cvm,
        hash,
        deviceId,
        kmsInfo,
        withToken == null ? null : withToken.token(),
        hashAllowed(cvm.app.appId, hash));
  }

  private Contract contract(String appId) {
    return of(appId)
        .orElseThrow(() -> CloudError.plain(404, "App " + appId + " has no on-chain contract"));
  }

  private String transaction(String appId, String what) {
    String tx = ids.transactionHash(counter++);
    transactions.put(tx, CvmDirectory.normalizeAppId(appId) + ":" + what);
    return tx;
  }

  private static String norm(String hex) {
    String lower = hex.toLowerCase(Locale.ROOT);
    return lower.startsWith("0x") ? lower.substring(2) : lower;
  }
}
