package cloud.phala.operator.cloud.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * The KMS_PINNED step. dstack's guest emits one imr-3 {@code key-provider} event whose payload is
 * the JSON {@code {"name":"kms","id":"<hex>"}} (dstack-util system_setup.rs {@code
 * emit_key_provider_info}); the id is the key provider's stable identity: for a KMS the public key
 * of its root CA certificate, for {@code local-sgx} the sealing provider's measurement, empty for
 * {@code none} and {@code tpm}. Only the id is compared: it names one provider whatever its kind.
 */
final class KeyProvider {
  private static final ObjectMapper JSON = new ObjectMapper();

  private KeyProvider() {}

  static Check check(Attestation attestation, Optional<String> pinned) {
    if (pinned.isEmpty()) {
      return Check.notChecked(Step.KMS_PINNED, "no KMS identity is pinned");
    }
    Optional<byte[]> payload = attestation.event("key-provider");
    if (payload.isEmpty()) {
      return Check.failed(Step.KMS_PINNED, "the event log has no key-provider event");
    }
    Optional<String> id = idOf(payload.get());
    if (id.isEmpty()) {
      return Check.of(
          Step.KMS_PINNED, false, "the key-provider event is not JSON with a hex string id");
    }
    return Check.of(
        Step.KMS_PINNED,
        id.get().equals(pinned.get()),
        "the key-provider event's id is not the pinned KMS identity");
  }

  private static Optional<String> idOf(byte[] payload) {
    JsonNode node;
    try {
      node = JSON.readTree(payload);
    } catch (IOException e) {
      return Optional.empty();
    }
    JsonNode id = node == null ? null : node.get("id");
    if (id == null || !id.isTextual() || !id.asText().matches("(0x)?[0-9a-fA-F]*")) {
      return Optional.empty();
    }
    return Optional.of(EvidenceChecker.normalize(id.asText()).toLowerCase(Locale.ROOT));
  }
}
