package cloud.phala.operator.simulator.attest;

import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A stand-in for a self-hosted dstack verifier (Dstack-TEE/dstack {@code verifier/}), with its
 * {@code POST /verify} request and answer: {@code quote} (hex), {@code event_log} (a JSON text),
 * {@code vm_config}; {@code is_valid}, {@code details}, {@code reason}, answered 200 whether or not
 * the quote verifies. It verifies against the simulator's {@link TestRoot}, not Intel's, so a quote
 * it accepts proves only that the simulator made it. The TCB status of a verified quote is the one
 * the simulator's {@code tcb_*} faults give its CVM (found by the event log's app-id and
 * instance-id events), UpToDate otherwise. It does not verify OS images: like the real verifier
 * given no usable vm_config, it answers {@code is_valid: false} after a verified quote, with {@code
 * quote_verified} and {@code tcb_status} set.
 */
public final class DstackVerifier {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();
  private static final int REPORT_DATA = 48 + 520;
  private final TestRoot root;
  private final AttestationFaults faults;
  private final Function<String, List<CvmSnapshot>> appCvms;

  public DstackVerifier(
      TestRoot root, AttestationFaults faults, Function<String, List<CvmSnapshot>> appCvms) {
    this.root = root;
    this.faults = faults;
    this.appCvms = appCvms;
  }

  /** The answer to a request body; empty when the body is not the API's (the real one: 422). */
  public Optional<Map<String, Object>> verify(JsonNode request) {
    if (!request.isObject()) {
      return Optional.empty();
    }
    JsonNode quoteHex = request.path("quote");
    if (!quoteHex.isMissingNode() && !quoteHex.isNull() && !quoteHex.isTextual()) {
      return Optional.empty();
    }
    if (request.hasNonNull("attestation")) {
      return Optional.of(invalid("Internal error: the stand-in verifies quote + event_log only"));
    }
    if (!quoteHex.isTextual()) {
      return Optional.of(invalid("Internal error: Quote is required"));
    }
    byte[] quote;
    try {
      String hex = quoteHex.asText();
      quote = HEX.parseHex(hex.startsWith("0x") ? hex.substring(2) : hex);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!request.path("event_log").isTextual()) {
      return Optional.of(invalid("Internal error: Event log is required"));
    }
    JsonNode log;
    try {
      log = JSON.readTree(request.path("event_log").asText());
    } catch (IOException e) {
      log = null;
    }
    if (log == null || !log.isArray()) {
      return Optional.of(
          invalid("Internal error: Failed to create attestation: Failed to parse tdx_event_log"));
    }
    if (!root.verifies(quote)) {
      return Optional.of(
          invalid("Quote verification failed: the signature does not verify under the test root"));
    }
    Map<String, Object> details = details(false);
    details.put("quote_verified", true);
    details.put("tee_variant", "dstack-tdx");
    details.put(
        "report_data", HEX.formatHex(Arrays.copyOfRange(quote, REPORT_DATA, REPORT_DATA + 64)));
    details.put("tcb_status", tcbStatus(log));
    return Optional.of(
        answer(
            false,
            details,
            "OS image hash verification failed: not simulated (the stand-in checks quotes"
                + " against the simulator's test root only)"));
  }

  private String tcbStatus(JsonNode log) {
    Optional<String> appId = payload(log, "app-id");
    Optional<String> instanceId = payload(log, "instance-id");
    if (appId.isEmpty() || instanceId.isEmpty()) {
      return "UpToDate";
    }
    return appCvms.apply(appId.get()).stream()
        .filter(cvm -> Attestations.instanceIdOf(cvm).equalsIgnoreCase(instanceId.get()))
        .findFirst()
        .map(faults::tcbStatus)
        .orElse("UpToDate");
  }

  private static Optional<String> payload(JsonNode log, String name) {
    for (JsonNode event : log) {
      if (event.path("imr").asInt(-1) == 3 && name.equals(event.path("event").asText())) {
        return Optional.of(event.path("event_payload").asText());
      }
    }
    return Optional.empty();
  }

  private static Map<String, Object> invalid(String reason) {
    return answer(false, details(false), reason);
  }

  private static Map<String, Object> details(boolean quoteVerified) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("quote_verified", quoteVerified);
    details.put("event_log_verified", false);
    details.put("os_image_hash_verified", false);
    details.put("acpi_tables_verified", false);
    details.put("os_image_is_dev", null);
    details.put("os_image_version", null);
    details.put("tee_variant", null);
    details.put("report_data", null);
    details.put("tcb_status", null);
    details.put("advisory_ids", List.of());
    details.put("key_provider", null);
    details.put("app_info", null);
    return details;
  }

  private static Map<String, Object> answer(
      boolean valid, Map<String, Object> details, String reason) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("is_valid", valid);
    out.put("details", details);
    out.put("reason", reason);
    return out;
  }
}
