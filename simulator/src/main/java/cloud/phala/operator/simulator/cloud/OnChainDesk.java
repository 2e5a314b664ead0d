package cloud.phala.operator.simulator.cloud;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The on-chain KMS side of the world: two-phase updates, the commit-token flow, the allow-list
 * reads the API offers, and the {@code /_sim} stand-ins for the app owner's transactions. Every
 * method holds the world's lock.
 */
public final class OnChainDesk {
  public static final String KMS_CONTRACT = OnChainContracts.KMS_CONTRACT;

  private final Object lock;
  private final CvmDirectory cvms;
  private final Reconfiguration reconfiguration;
  private final OnChainContracts chain;

  OnChainDesk(
      Object lock, CvmDirectory cvms, Reconfiguration reconfiguration, OnChainContracts chain) {
    this.lock = lock;
    this.cvms = cvms;
    this.reconfiguration = reconfiguration;
    this.chain = chain;
  }

  public ChangeAccepted change(String identifier, ConfigChange change, OnChainProof proof) {
    synchronized (lock) {
      EncryptedEnvInput.requireHex(change.encryptedEnv());
      return reconfiguration.change(cvms.find(identifier), change, proof);
    }
  }

  /** {@code POST /cvms/{id}/commit-update}: applies the update the token prepared. */
  public ChangeAccepted commitUpdate(
      String identifier, String token, String composeHash, String transactionHash) {
    synchronized (lock) {
      Cvm cvm = cvms.find(identifier);
      OnChainContracts.PendingUpdate update =
          chain.redeem(cvm, token, composeHash, transactionHash);
      return reconfiguration.change(
          cvm,
          update.change(),
          new OnChainProof(update.composeHash(), transactionHash, false, true));
    }
  }

  /** Phase two of {@code PATCH /cvms/{id}}: an empty body with the hash and transaction. */
  public ChangeAccepted confirm(String identifier, String composeHash, String transactionHash) {
    synchronized (lock) {
      Cvm cvm = cvms.find(identifier);
      OnChainContracts.PendingUpdate update = chain.confirm(cvm, composeHash, transactionHash);
      return reconfiguration.change(
          cvm,
          update.change(),
          new OnChainProof(update.composeHash(), transactionHash, false, true));
    }
  }

  public Map<String, Object> tokenInfo(String identifier, String token) {
    synchronized (lock) {
      Cvm cvm = cvms.find(identifier);
      OnChainContracts.PendingUpdate update =
          chain
              .tokenInfo(token)
              .filter(u -> u.cvm() == cvm)
              .orElseThrow(() -> CloudError.plain(404, "Commit token not found for this CVM"));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("vm_uuid", cvm.vmUuid.toString());
      out.put("app_id", cvm.app.appId);
      out.put("compose_hash", update.composeHash());
      out.put("expires_at", update.expiresAt().toString());
      out.put(
          "onchain_status",
          chain.hashAllowed(cvm.app.appId, update.composeHash()) ? "registered" : "pending");
      return out;
    }
  }

  /** {@code GET /apps/{app_id}/kms-info}. */
  public Map<String, Object> kmsInfo(String appId) {
    synchronized (lock) {
      Map<String, Object> out = new LinkedHashMap<>();
      OnChainContracts.Contract contract = chain.of(appId).orElse(null);
      out.put("is_onchain_kms", contract != null);
      out.put("chain_id", contract == null ? null : contract.chainId());
      out.put("kms_contract_address", contract == null ? null : OnChainContracts.KMS_CONTRACT);
      out.put("app_contract_address", contract == null ? null : contract.address());
      out.put("deployer_address", null);
      out.put("deployer_type", contract == null ? null : "eoa");
      out.put("is_contract", false);
      out.put("safe_app_url", null);
      return out;
    }
  }

  /** {@code GET /apps/{app_id}/device-allowlist}: every node's device and whether it is allowed. */
  public Map<String, Object> deviceAllowlist(String appId) {
    synchronized (lock) {
      OnChainContracts.Contract contract = chain.of(appId).orElse(null);
      List<Map<String, Object>> devices = new ArrayList<>();
      for (Placement.Node node : Catalog.NODES) {
        String device = chain.deviceOf(node.id());
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("device_id", device);
        item.put("node_name", node.name());
        item.put(
            "cvm_ids",
            cvms.ofApp(appId).stream()
                .filter(c -> c.placement.node().id() == node.id())
                .map(c -> c.id)
                .toList());
        boolean allowed = contract != null && contract.devices.contains(device);
        item.put("allowed_onchain", allowed);
        item.put(
            "status",
            contract != null && (allowed || contract.allowAnyDevice) ? "allowed" : "not_allowed");
        devices.add(item);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("is_onchain_kms", contract != null);
      out.put("allow_any_device", contract == null ? null : contract.allowAnyDevice);
      out.put("chain_id", contract == null ? null : contract.chainId());
      out.put("app_contract_address", contract == null ? null : contract.address());
      out.put("devices", devices);
      return out;
    }
  }

  /**
   * {@code POST /apps/{app_id}/is-allowed}: {@code nodeId} or {@code deviceId} picks the device.
   */
  public Map<String, Object> isAllowed(
      String appId, String composeHash, Integer nodeId, String deviceId) {
    synchronized (lock) {
      OnChainContracts.Contract contract =
          chain
              .of(appId)
              .orElseThrow(
                  () -> CloudError.plain(400, "App " + appId + " does not use an on-chain KMS"));
      String device = deviceId != null ? deviceId : chain.deviceOf(nodeId != null ? nodeId : 1);
      boolean hash = chain.hashAllowed(appId, composeHash);
      boolean deviceOk = chain.deviceAllowed(appId, device);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("app_contract_address", contract.address());
      out.put("compose_hash", composeHash);
      out.put("device_id", device);
      out.put("compose_hash_allowed", hash);
      out.put("allow_any_device", contract.allowAnyDevice);
      out.put("device_id_allowed", deviceOk);
      out.put("is_allowed", hash && deviceOk);
      out.put("error", null);
      return out;
    }
  }

  /** {@code GET /apps/{app_id}/pending-updates}. */
  public Map<String, Object> pendingUpdates(String appId) {
    synchronized (lock) {
      List<Map<String, Object>> items = new ArrayList<>();
      for (OnChainContracts.PendingUpdate p : chain.pending(appId)) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("vm_uuid", p.cvm().vmUuid.toString());
        item.put("compose_hash", p.composeHash());
        item.put("on_chain", chain.hashAllowed(appId, p.composeHash()));
        item.put("instance_name", p.cvm().name);
        items.add(item);
      }
      return Map.of("items", items);
    }
  }

  /** A test hook standing in for the owner's {@code addComposeHash}; the transaction hash. */
  public String approveComposeHash(String appId, String composeHash) {
    synchronized (lock) {
      return chain.addComposeHash(appId, composeHash);
    }
  }

  /** A test hook standing in for the owner's {@code addDevice} / {@code setAllowAnyDevice}. */
  public String approveDevice(String appId, String deviceId, boolean allowAny) {
    synchronized (lock) {
      return chain.addDevice(appId, deviceId, allowAny);
    }
  }

  /**
   * A test hook standing in for the owner's {@code removeDevice}: the contract no longer allows
   * {@code deviceId} (an on-chain app's deploy allows its first node's device).
   */
  public void removeDevice(String appId, String deviceId) {
    synchronized (lock) {
      String id = deviceId.toLowerCase(java.util.Locale.ROOT).replaceFirst("^0x", "");
      chain.of(appId).ifPresent(c -> c.devices.remove(id));
    }
  }

  /** The chain an app on {@code kmsType} is governed on; null for Phala's KMS. */
  public static Long chainId(String kmsType) {
    return "ethereum".equals(kmsType) || "base".equals(kmsType)
        ? OnChainContracts.Contract.chainId(kmsType)
        : null;
  }

  /** The TDX device id of node {@code nodeId}. */
  public String deviceOf(int nodeId) {
    synchronized (lock) {
      return chain.deviceOf(nodeId);
    }
  }
}
