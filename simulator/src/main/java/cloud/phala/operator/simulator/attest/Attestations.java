package cloud.phala.operator.simulator.attest;

import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders {@code GET /cvms/{id}/attestation} consistent with what the CVM booted: an imr-3 event
 * log with its app id, booted compose hash, the instance id Phala Cloud lists for it and the app's
 * KMS as key provider, replayed into the RTMR3 of a quote the {@link TestRoot} signs; or, under an
 * {@link AttestationFault}, a forgery of one part.
 */
public final class Attestations {
  private final TestRoot root;
  private final AttestationFaults faults;
  private final String kmsIdentity;

  /** {@code kmsIdentity}: the KMS's root CA public key (hex), the key-provider event's id. */
  public Attestations(TestRoot root, AttestationFaults faults, String kmsIdentity) {
    this.root = root;
    this.faults = faults;
    this.kmsIdentity = kmsIdentity;
  }

  public TestRoot root() {
    return root;
  }

  /**
   * The instance-id event's payload (hex): the instance id Phala Cloud lists for the CVM, as in
   * dstack, where it is derived once per CVM disk and kept across reboots.
   */
  public static String instanceIdOf(CvmSnapshot cvm) {
    return cvm.instanceId();
  }

  /** Another CVM's instance id, as evidence served for the wrong instance would carry. */
  static String otherInstanceId(CvmSnapshot cvm) {
    return Measurements.hex(
        Arrays.copyOf(Measurements.sha256(cvm.instanceId() + ":other-instance"), 20));
  }

  public Map<String, Object> answer(CvmSnapshot cvm) {
    boolean online = "running".equals(cvm.status()) && !cvm.inProgress();
    AttestationFault fault = online ? faults.next(cvm) : AttestationFault.NONE;
    if (!online || fault == AttestationFault.UNAVAILABLE) {
      return unavailable(cvm, online, online ? "attestation unavailable" : "CVM is not running");
    }
    String appCompose = cvm.compose().serialized();
    String composeHash = cvm.bootedComposeHash();
    if (fault == AttestationFault.WRONG_COMPOSE_HASH) {
      appCompose = appCompose + "\n";
      composeHash = Measurements.hex(Measurements.sha256(appCompose));
    }
    String instanceId =
        fault == AttestationFault.OTHER_INSTANCE ? otherInstanceId(cvm) : instanceIdOf(cvm);
    String keyProvider =
        fault == AttestationFault.OTHER_KMS
            ? Measurements.hex(Measurements.sha256(kmsIdentity + ":other-kms"))
            : kmsIdentity;
    List<Map<String, Object>> log = eventLog(cvm, composeHash, instanceId, keyProvider);
    List<byte[]> digests = new ArrayList<>();
    log.forEach(e -> digests.add(HexFormat.of().parseHex((String) e.get("digest"))));
    if (fault == AttestationFault.RTMR3_MISMATCH) {
      digests.add(Measurements.eventDigest("hidden", new byte[0]));
    }
    byte[][] rtmrs = {
      Measurements.osMeasurement("rtmr0", cvm.osImage().hash()),
      Measurements.osMeasurement("rtmr1", cvm.osImage().hash()),
      Measurements.osMeasurement("rtmr2", cvm.osImage().hash()),
      Measurements.replay(digests)
    };
    byte[] mrtd = Measurements.osMeasurement("mrtd", cvm.osImage().hash());
    byte[] quote = SimQuote.build(mrtd, rtmrs, new byte[64], root);
    if (fault == AttestationFault.BAD_QUOTE) {
      quote = SimQuote.damaged(quote);
    }
    Map<String, Object> tcb = new LinkedHashMap<>();
    tcb.put("mrtd", Measurements.hex(mrtd));
    tcb.put("rootfs_hash", cvm.osImage().hash());
    for (int i = 0; i < 4; i++) {
      tcb.put("rtmr" + i, Measurements.hex(rtmrs[i]));
    }
    tcb.put("event_log", log);
    tcb.put("app_compose", appCompose);
    Map<String, Object> out = envelope(cvm, true, null);
    out.put("app_certificates", List.of(Certificates.withQuote(cvm, Measurements.hex(quote))));
    out.put("tcb_info", tcb);
    out.put("compose_file", cvm.compose().dockerComposeFile());
    return out;
  }

  /**
   * {@code GET /apps/{app_id}/attestations}: each CVM's {@link #answer} (faults included) with the
   * instance fields the official SDK's schema names, under the app's KMS info.
   */
  public Map<String, Object> ofApp(String appId, List<CvmSnapshot> cvms) {
    List<Map<String, Object>> instances = new ArrayList<>();
    for (CvmSnapshot cvm : cvms) {
      Map<String, Object> answer = answer(cvm);
      Map<String, Object> instance = new LinkedHashMap<>();
      instance.put("vm_uuid", cvm.vmUuid().toString());
      instance.put("name", cvm.name());
      instance.put("instance_id", cvm.instanceId());
      instance.put("status", cvm.status());
      instance.put("image_version", cvm.osImage().versionText());
      instance.put("quote", quoteOf(answer));
      instance.put("ppid", "");
      instance.put("tcb_info", answer.get("tcb_info"));
      instance.put("app_certificates", answer.get("app_certificates"));
      instance.put("compose_file", answer.get("compose_file"));
      instance.put("error", answer.get("error"));
      instances.add(instance);
    }
    Map<String, Object> kms = new LinkedHashMap<>();
    kms.put("contract_address", "");
    kms.put("chain_id", null);
    kms.put("version", "simulated");
    kms.put("url", "");
    kms.put("gateway_app_id", null);
    kms.put("gateway_app_url", "");
    kms.put("kms_type", "phala");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("app_id", appId);
    out.put("contract_address", "");
    out.put("kms_info", kms);
    out.put("instances", instances);
    out.put("kms_guest_agent_info", null);
    out.put("gateway_guest_agent_info", null);
    out.put("qemu_version", null);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static String quoteOf(Map<String, Object> answer) {
    Object certificates = answer.get("app_certificates");
    if (certificates instanceof List<?> list && !list.isEmpty()) {
      return (String) ((Map<String, Object>) list.get(0)).get("quote");
    }
    return null;
  }

  /**
   * {@code GET /apps/{app_id}/attestations/tcb-evaluation}: one instance per running CVM, its TCB
   * status UpToDate unless a {@code tcb_*} fault says otherwise.
   */
  public Map<String, Object> tcbEvaluation(String appId, List<CvmSnapshot> cvms) {
    List<Map<String, Object>> instances = new ArrayList<>();
    for (CvmSnapshot cvm : cvms) {
      if (!"running".equals(cvm.status())) {
        continue;
      }
      String status = faults.tcbStatus(cvm);
      Map<String, Object> instance = new LinkedHashMap<>();
      instance.put("vm_uuid", cvm.vmUuid().toString());
      instance.put("name", cvm.name());
      instance.put("instance_id", cvm.instanceId());
      instance.put("status", cvm.status());
      instance.put("image_version", cvm.osImage().versionText());
      instance.put("evaluation_update", "early");
      instance.put("evaluation_ok", true);
      instance.put("evaluation_status", status);
      instance.put("error", null);
      instances.add(instance);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("app_id", appId);
    out.put("update", "early");
    out.put("instances", instances);
    return out;
  }

  /** The events dstack's guest emits, in its order (dstack-util system_setup.rs). */
  private static List<Map<String, Object>> eventLog(
      CvmSnapshot cvm, String composeHash, String instanceId, String keyProvider) {
    List<Map<String, Object>> log = new ArrayList<>();
    log.add(event("system-preparing", new byte[0]));
    log.add(event("app-id", HexFormat.of().parseHex(cvm.appId())));
    log.add(event("compose-hash", HexFormat.of().parseHex(composeHash)));
    log.add(event("instance-id", HexFormat.of().parseHex(instanceId)));
    log.add(event("boot-mr-done", new byte[0]));
    log.add(event("os-image-hash", cvm.osImage().hash().getBytes(StandardCharsets.UTF_8)));
    log.add(
        event(
            "key-provider",
            ("{\"name\":\"kms\",\"id\":\"" + keyProvider + "\"}")
                .getBytes(StandardCharsets.UTF_8)));
    log.add(event("system-ready", new byte[0]));
    return log;
  }

  private static Map<String, Object> event(String name, byte[] payload) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("imr", 3);
    e.put("event_type", Measurements.RUNTIME_EVENT);
    e.put("digest", Measurements.hex(Measurements.eventDigest(name, payload)));
    e.put("event", name);
    e.put("event_payload", Measurements.hex(payload));
    return e;
  }

  private static Map<String, Object> unavailable(CvmSnapshot cvm, boolean online, String error) {
    Map<String, Object> out = envelope(cvm, online, error);
    out.put("app_certificates", null);
    out.put("tcb_info", null);
    out.put("compose_file", cvm.compose().dockerComposeFile());
    return out;
  }

  private static Map<String, Object> envelope(CvmSnapshot cvm, boolean online, String error) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", cvm.name());
    out.put("is_online", online);
    out.put("is_public", true);
    out.put("error", error);
    return out;
  }
}
