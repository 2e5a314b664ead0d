package cloud.phala.operator.cloud.dstack;

import cloud.phala.operator.cloud.attestation.Attestation;
import cloud.phala.operator.cloud.attestation.RuntimeEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;

/**
 * An attestation's event log as the dstack verifier's {@code event_log} takes it: a JSON text of
 * dstack's {@code TdxEvent}s ({@code imr}, {@code event_type}, {@code digest} and {@code
 * event_payload} in hex, {@code event}), the shape {@code tcb_info.event_log} has in Phala Cloud's
 * answer.
 */
public final class DstackEventLog {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  private DstackEventLog() {}

  public static String of(Attestation attestation) {
    ArrayNode log = MAPPER.createArrayNode();
    for (RuntimeEvent e : attestation.events()) {
      ObjectNode event = log.addObject();
      event.put("imr", e.imr());
      event.put("event_type", e.eventType());
      event.put("digest", HEX.formatHex(e.digest()));
      event.put("event", e.event());
      event.put("event_payload", HEX.formatHex(e.payload()));
    }
    return log.toString();
  }

  public static String quoteHex(Attestation attestation) {
    return HEX.formatHex(attestation.quote());
  }
}
