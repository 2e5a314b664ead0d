package cloud.phala.operator.cloud.attestation;

import cloud.phala.operator.cloud.attestation.MalformedAttestationException.Problem;
import java.util.List;
import java.util.Optional;

/**
 * A readable attestation: the raw quote, its TD report, the event log and the app compose the
 * platform says the CVM booted. Built only by {@link AttestationParser}.
 */
public record Attestation(
    byte[] quote, TdReport report, List<RuntimeEvent> events, String appCompose) {
  public Attestation {
    quote = quote.clone();
    events = List.copyOf(events);
  }

  @Override
  public byte[] quote() {
    return quote.clone();
  }

  public List<RuntimeEvent> runtimeEvents() {
    return events.stream().filter(e -> e.imr() == 3).toList();
  }

  /**
   * The payload of the single imr-3 runtime event of this name; missing or duplicate is refused.
   */
  public byte[] requiredEvent(String name) {
    return event(name)
        .orElseThrow(
            () ->
                new MalformedAttestationException(
                    Problem.MISSING_EVENT, "the event log has no '" + name + "' event"));
  }

  public Optional<byte[]> event(String name) {
    List<RuntimeEvent> found =
        runtimeEvents().stream()
            .filter(RuntimeEvent::isRuntime)
            .filter(e -> e.event().equals(name))
            .toList();
    if (found.size() > 1) {
      throw new MalformedAttestationException(
          Problem.DUPLICATE_EVENT,
          "the event log has " + found.size() + " '" + name + "' events, expected one");
    }
    return found.stream().findFirst().map(RuntimeEvent::payload);
  }
}
