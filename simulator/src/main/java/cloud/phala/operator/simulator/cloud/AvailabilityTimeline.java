package cloud.phala.operator.simulator.cloud;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Per app, how many CVMs were serving (running, no operation in progress) over time. */
final class AvailabilityTimeline {
  private final List<AvailabilityPoint> points = new ArrayList<>();

  void record(Instant at, int serving, int total) {
    if (!points.isEmpty()) {
      AvailabilityPoint last = points.get(points.size() - 1);
      if (last.serving() == serving && last.total() == total) {
        return;
      }
    }
    points.add(new AvailabilityPoint(at, serving, total));
  }

  List<AvailabilityPoint> points() {
    return List.copyOf(points);
  }
}
