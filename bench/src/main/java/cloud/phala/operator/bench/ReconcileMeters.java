package cloud.phala.operator.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A snapshot of the operator's reconcile counters and timers (JOSDK's Micrometer metrics): each
 * name's count and, for timers, total time in milliseconds. {@link #since} prints what happened
 * between two snapshots.
 */
final class ReconcileMeters {
  private final Map<String, double[]> byName = new TreeMap<>();

  ReconcileMeters(PrometheusMeterRegistry registry) {
    for (Meter meter : registry.getMeters()) {
      String name = meter.getId().getName();
      if (name.startsWith("phala.passes")) {
        name = name + "{kind=" + meter.getId().getTag("kind") + "}";
      } else if (!name.contains("reconcil")) {
        continue;
      }
      double[] v = byName.computeIfAbsent(name, k -> new double[2]);
      if (meter instanceof Counter counter) {
        v[0] += counter.count();
      } else if (meter instanceof Timer timer) {
        v[0] += timer.count();
        v[1] += timer.totalTime(TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Prints each meter's increase since {@code before}, with the mean time for timers. */
  void printSince(ReconcileMeters before) {
    byName.forEach(
        (name, after) -> {
          double[] was = before.byName.getOrDefault(name, new double[2]);
          double count = after[0] - was[0];
          double millis = after[1] - was[1];
          System.out.printf(
              Locale.ROOT,
              "operator %s: +%.0f%s%n",
              name,
              count,
              millis > 0
                  ? String.format(Locale.ROOT, ", mean %.0f ms", millis / Math.max(1, count))
                  : "");
        });
  }
}
