package cloud.phala.operator.app.sim;

import cloud.phala.operator.simulator.cloud.AvailabilityPoint;
import cloud.phala.operator.simulator.cloud.World;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the simulator's availability timelines (one per Phala app, recorded at every change of any
 * CVM) and hands over, since the last read, every moment's serving and total CVMs summed over all
 * the apps this history made through the operator (not the account's {@link OtherApps}): so a
 * second app made by mistake counts too.
 */
final class AvailabilityWatch {
  /** How many CVMs served, of how many, from one moment on. */
  record Level(int serving, int total) {}

  private final World world;
  private final OtherApps others;
  private final Map<String, Integer> read = new LinkedHashMap<>();
  private final Map<String, Level> latest = new LinkedHashMap<>();

  AvailabilityWatch(World world, OtherApps others) {
    this.world = world;
    this.others = others;
  }

  Level now() {
    int serving = 0;
    int total = 0;
    for (Level level : latest.values()) {
      serving += level.serving();
      total += level.total();
    }
    return new Level(serving, total);
  }

  /** Every level the app passed through since the last call, in order. */
  List<Level> since() {
    others.ourAppIds().forEach(id -> read.putIfAbsent(id, 0));
    record Point(String appId, int index, AvailabilityPoint point) {}
    List<Point> fresh = new ArrayList<>();
    for (Map.Entry<String, Integer> app : read.entrySet()) {
      List<AvailabilityPoint> points = world.timeline(app.getKey());
      for (int i = app.getValue(); i < points.size(); i++) {
        fresh.add(new Point(app.getKey(), i, points.get(i)));
      }
      app.setValue(points.size());
    }
    fresh.sort(
        Comparator.comparing((Point p) -> p.point().at())
            .thenComparing(Point::appId)
            .thenComparingInt(Point::index));
    List<Level> levels = new ArrayList<>();
    for (Point p : fresh) {
      latest.put(p.appId(), new Level(p.point().serving(), p.point().total()));
      levels.add(now());
    }
    return levels;
  }
}
