package cloud.phala.operator.simulator.api;

import cloud.phala.operator.simulator.cloud.CloudError;
import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import cloud.phala.operator.simulator.cloud.World;
import cloud.phala.operator.simulator.http.Request;
import cloud.phala.operator.simulator.http.Response;
import cloud.phala.operator.simulator.time.SimTime;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /cvms/{id}/state}: the state as JSON, or with {@code target} (or an {@code Accept:
 * text/event-stream}) a Server-Sent Events stream of {@code state} events that ends with {@code
 * complete} once the CVM reaches the target and no operation is in progress, {@code timeout} after
 * {@code timeout} seconds, or {@code error} if the CVM disappears. The simulator also sends a state
 * event as soon as anything changes, not only every {@code interval} seconds.
 */
final class StateStream {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(50);
  private final World world;
  private final CvmJson json;

  StateStream(World world, CvmJson json) {
    this.world = world;
    this.json = json;
  }

  Response handle(Request request) {
    String id = request.pathParam("cvm_id");
    CvmSnapshot first = world.get(id);
    Optional<String> target = request.query("target");
    boolean wantsStream =
        target.isPresent() || request.header("Accept").orElse("").contains("text/event-stream");
    if (!wantsStream) {
      return Response.ok(json.state(first));
    }
    int interval = request.intQuery("interval", 5, 5, 30);
    int timeout = request.intQuery("timeout", 300, 10, 600);
    return Response.eventStream(
        out ->
            stream(
                out,
                id,
                target.orElse("running"),
                Duration.ofSeconds(interval),
                Duration.ofSeconds(timeout)));
  }

  private void stream(
      OutputStream out, String id, String target, Duration interval, Duration timeout)
      throws IOException {
    SimTime time = world.time();
    long deadline = time.nanoTime() + timeout.toNanos();
    Map<String, Object> last = null;
    long lastSent = 0;
    while (true) {
      Map<String, Object> state;
      try {
        state = json.state(world.get(id));
      } catch (CloudError gone) {
        send(out, "error", Map.of("message", gone.getMessage()));
        return;
      }
      boolean due = time.nanoTime() - lastSent >= interval.toNanos();
      if (!state.equals(last) || due) {
        send(out, "state", state);
        last = state;
        lastSent = time.nanoTime();
      }
      if (target.equals(state.get("status")) && Boolean.FALSE.equals(state.get("in_progress"))) {
        send(out, "complete", state);
        return;
      }
      if (time.nanoTime() > deadline) {
        send(out, "timeout", state);
        return;
      }
      time.sleep(POLL);
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  private static void send(OutputStream out, String event, Object data) throws IOException {
    String frame = "event: " + event + "\ndata: " + JSON.writeValueAsString(data) + "\n\n";
    out.write(frame.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
