package cloud.phala.operator.cloud.attestation;

import cloud.phala.operator.cloud.attestation.MalformedAttestationException.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a Phala Cloud {@code GET /cvms/{id}/attestation} answer strictly: bounded sizes, exact
 * digest lengths, hex that is hex. An answer that reports an error, is offline or carries no quote
 * is {@linkplain Optional#empty() unavailable}, not malformed.
 */
public final class AttestationParser {
  public static final int MAX_ANSWER_CHARS = 2 * 1024 * 1024;
  public static final int MAX_EVENTS = 4096;
  public static final int MAX_EVENT_NAME = 256;
  public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AttestationParser() {}

  public static Optional<Attestation> parse(String answer) {
    if (answer.length() > MAX_ANSWER_CHARS) {
      throw new MalformedAttestationException(
          Problem.TOO_LARGE, "the answer is longer than " + MAX_ANSWER_CHARS + " characters");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(answer);
    } catch (JsonProcessingException e) {
      throw new MalformedAttestationException(Problem.NOT_JSON, "the answer is not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new MalformedAttestationException(Problem.NOT_JSON, "the answer is not a JSON object");
    }
    boolean reportsError = root.hasNonNull("error");
    JsonNode tcb = root.path("tcb_info");
    Optional<String> quoteHex = quoteHex(root.path("app_certificates"));
    if (reportsError || !root.path("is_online").asBoolean(false) || !tcb.isObject()) {
      return Optional.empty();
    }
    if (quoteHex.isEmpty()) {
      return Optional.empty();
    }
    byte[] quote = Hex.decode(quoteHex.get(), "app_certificates[].quote", TdReport.MAX_QUOTE_BYTES);
    return Optional.of(
        new Attestation(
            quote, TdReport.parse(quote), events(tcb.path("event_log")), text(tcb, "app_compose")));
  }

  private static Optional<String> quoteHex(JsonNode certificates) {
    for (JsonNode certificate : certificates) {
      if (certificate.path("quote").isTextual() && !certificate.path("quote").asText().isEmpty()) {
        return Optional.of(certificate.path("quote").asText());
      }
    }
    return Optional.empty();
  }

  private static List<RuntimeEvent> events(JsonNode log) {
    if (!log.isArray()) {
      throw new MalformedAttestationException(
          Problem.MISSING_FIELD, "tcb_info.event_log is missing or not a list");
    }
    if (log.size() > MAX_EVENTS) {
      throw new MalformedAttestationException(
          Problem.TOO_MANY_EVENTS, "tcb_info.event_log has more than " + MAX_EVENTS + " events");
    }
    List<RuntimeEvent> events = new ArrayList<>(log.size());
    for (int i = 0; i < log.size(); i++) {
      events.add(event(log.get(i), "tcb_info.event_log[" + i + "]"));
    }
    return events;
  }

  private static RuntimeEvent event(JsonNode node, String where) {
    if (!node.isObject()) {
      throw new MalformedAttestationException(Problem.BAD_FIELD, where + " is not an object");
    }
    long imr = number(node, "imr", where, 3);
    long type = number(node, "event_type", where, 0xFFFF_FFFFL);
    String name = text(node, "event", where);
    if (name.length() > MAX_EVENT_NAME) {
      throw new MalformedAttestationException(
          Problem.TOO_LARGE, where + ".event is longer than " + MAX_EVENT_NAME + " characters");
    }
    return new RuntimeEvent(
        (int) imr,
        type,
        Hex.decodeExact(text(node, "digest", where), where + ".digest", RuntimeEvent.DIGEST_BYTES),
        name,
        Hex.decode(
            text(node, "event_payload", where), where + ".event_payload", MAX_PAYLOAD_BYTES));
  }

  private static long number(JsonNode node, String field, String where, long max) {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()) {
      throw new MalformedAttestationException(
          Problem.MISSING_FIELD, where + "." + field + " is missing or not an integer");
    }
    if (value.asLong() < 0 || value.asLong() > max) {
      throw new MalformedAttestationException(
          Problem.BAD_FIELD, where + "." + field + " is outside 0.." + max);
    }
    return value.asLong();
  }

  private static String text(JsonNode node, String field) {
    return text(node, field, "tcb_info");
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new MalformedAttestationException(
          Problem.MISSING_FIELD, where + "." + field + " is missing or not a string");
    }
    return value.asText();
  }
}
