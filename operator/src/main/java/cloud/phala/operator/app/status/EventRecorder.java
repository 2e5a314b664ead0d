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

/** Writes core/v1 Events about a PhalaApp. Callers pass messages that name things, never values. */
public final class EventRecorder {
  public static final String COMPONENT = "phala-operator";
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private final KubernetesClient client;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  public void normal(PhalaApp app, Reason reason, String message) {
    record(app, "Normal", reason, message);
  }

  public void warning(PhalaApp app, Reason reason, String message) {
    record(app, "Warning", reason, message);
  }

  private void record(PhalaApp app, String type, Reason reason, String message) {
    assert reason.onEvents() : reason + " is not an Event reason";
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
            .withReason(reason.wire())
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
          reason.wire(),
          app.getMetadata().getName(),
          e.getCode());
    }
  }
}
