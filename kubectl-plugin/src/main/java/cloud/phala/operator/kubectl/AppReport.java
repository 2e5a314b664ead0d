package cloud.phala.operator.kubectl;

import cloud.phala.operator.crd.PhalaAppStatus;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** {@code get NAME}: the app's rollout at a glance, its CVMs, and its last Events. */
final class AppReport {
  static final int EVENTS = 5;

  private AppReport() {}

  static String render(App app, String namespace, List<Event> events, Instant now) {
    PhalaAppStatus status = app.status();
    StringBuilder text = new StringBuilder();
    line(text, "Name", app.name());
    line(text, "Namespace", namespace);
    line(text, "Status", orDash(status.phase) + (app.paused() ? " (paused)" : ""));
    line(
        text,
        "Revision",
        app.currentRevisionLabel() + " (env " + App.shortRevision(status.envRevision) + ")");
    Integer pinned = app.ops().spec.rollout.pinnedRevision;
    if (pinned != null) {
      line(text, "Pinned", "revision " + pinned);
    }
    line(
        text,
        "Replicas",
        app.desiredReplicas()
            + " desired, "
            + orZero(status.replicas)
            + " current, "
            + orZero(status.updatedReplicas)
            + " updated, "
            + orZero(status.readyReplicas)
            + " serving");
    if (status.rollout != null && status.rollout.failedRevision != null) {
      line(text, "Failure", orDash(status.rollout.failure));
    }
    text.append('\n');
    Table cvms = new Table("CVM", "ID", "STATE", "REVISION", "SERVING");
    List<PhalaAppStatus.CvmStatus> list = status.cvms == null ? List.of() : status.cvms;
    for (PhalaAppStatus.CvmStatus cvm : list) {
      cvms.row(
          orDash(cvm.name),
          orDash(cvm.cvmId),
          orDash(cvm.phase) + (cvm.intent != null ? " (updating)" : ""),
          app.revisionOf(cvm.envRevision)
              .map(String::valueOf)
              .orElse(App.shortRevision(cvm.envRevision)),
          serving(cvm) ? "yes" : "no");
    }
    text.append(list.isEmpty() ? "No CVMs.\n" : cvms.render());
    text.append('\n');
    text.append(events(events, now));
    return text.toString();
  }

  /** Running, with no change of the operator's in flight. */
  static boolean serving(PhalaAppStatus.CvmStatus cvm) {
    return "running".equals(cvm.phase) && cvm.intent == null;
  }

  private static String events(List<Event> events, Instant now) {
    if (events.isEmpty()) {
      return "Events: <none>\n";
    }
    List<Event> last =
        events.stream()
            .sorted(Comparator.comparing(AppReport::seen))
            .skip(Math.max(0, events.size() - EVENTS))
            .toList();
    Table table = new Table("LAST SEEN", "TYPE", "REASON", "MESSAGE");
    for (Event event : last) {
      table.row(
          age(Duration.between(seen(event), now)),
          orDash(event.getType()),
          orDash(event.getReason()),
          orDash(event.getMessage()).replace('\n', ' '));
    }
    return "Events:\n" + table.render();
  }

  private static Instant seen(Event event) {
    String at =
        event.getLastTimestamp() != null
            ? event.getLastTimestamp()
            : event.getMetadata().getCreationTimestamp();
    return at == null ? Instant.EPOCH : Instant.parse(at);
  }

  /** kubectl's short ages: 45s, 3m, 5h, 2d. */
  static String age(Duration age) {
    long s = Math.max(0, age.getSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 2 * 3600) {
      return s / 60 + "m";
    }
    if (s < 2 * 86400) {
      return s / 3600 + "h";
    }
    return s / 86400 + "d";
  }

  private static void line(StringBuilder text, String label, String value) {
    text.append(label).append(':').append(" ".repeat(11 - label.length())).append(value);
    text.append('\n');
  }

  private static String orDash(String value) {
    return value == null ? "-" : value;
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
