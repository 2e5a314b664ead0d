package cloud.phala.operator.simulator.cloud;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every app's availability timeline, recorded after each change of any CVM. */
final class Availability {
  private final Map<String, AvailabilityTimeline> timelines = new HashMap<>();

  void record(Instant now, Collection<String> appIds, Collection<Cvm> cvms) {
    Map<String, int[]> counts = new HashMap<>();
    appIds.forEach(appId -> counts.put(appId, new int[2]));
    for (Cvm cvm : cvms) {
      int[] c = counts.computeIfAbsent(cvm.app.appId, k -> new int[2]);
      c[1]++;
      if (cvm.serving()) {
        c[0]++;
      }
    }
    counts.forEach(
        (appId, c) ->
            timelines
                .computeIfAbsent(appId, k -> new AvailabilityTimeline())
                .record(now, c[0], c[1]));
  }

  List<AvailabilityPoint> of(String appId) {
    AvailabilityTimeline timeline = timelines.get(appId);
    return timeline == null ? List.of() : timeline.points();
  }

  void clear() {
    timelines.clear();
  }
}
