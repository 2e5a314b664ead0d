package cloud.phala.operator.app.status;

import cloud.phala.operator.crd.PhalaApp;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Events about a PhalaApp: as core/v1 Events in production, in memory in the simulation.
 * Callers pass messages that name things, never values.
 */
public final class EventRecorder {
  public static final String COMPONENT = "phala-operator";
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);

  /** Where an Event goes; {@code type} is {@code Normal} or {@code Warning}. */
  @FunctionalInterface
  public interface Sink {
    void record(PhalaApp app, String type, String reason, String message);
  }

  private final Sink sink;

  /** Writes core/v1 Events. */
  public EventRecorder(KubernetesClient client) {
    this((app, type, reason, message) -> create(client, app, type, reason, message));
  }

  public EventRecorder(Sink sink) {
    this.sink = sink;
  }

  public void normal(PhalaApp app, Reason reason, String message) {
    record(app, "Normal", reason, message);
  }

  public void warning(PhalaApp app, Reason reason, String message) {
    record(app, "Warning", reason, message);
  }

  private void record(PhalaApp app, String type, Reason reason, String message) {
    assert reason.onEvents() : reason + " is not an Event reason";
    sink.record(app, type, reason.wire(), message);
  }

  private static void create(
      KubernetesClient client, PhalaApp app, String type, String reason, String message) {
    log.info("{} event {}: {}", type, reason, message);
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                app.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
            .withNamespace(app.getMetadata().getNamespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(app.getApiVersion())
            .withKind(app.getKind())
            .withName(app.getMetadata().getName())
            .withNamespace(app.getMetadata().getNamespace())
            .withUid(app.getMetadata().getUid())
            .endInvolvedObject()
            .withType(type)
            .withReason(reason)
            .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(app.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      log.warn(
          "could not record event {} for {}: HTTP {}",
          reason,
          app.getMetadata().getName(),
          e.getCode());
    }
  }
}
