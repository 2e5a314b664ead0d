package cloud.phala.operator.e2e;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names a PromQL text uses, as docs/metrics.md names them. */
final class Promql {
  private static final Pattern METRIC = Pattern.compile("\\b(?:phala|operator_sdk)_[a-z_]+");

  private Promql() {}

  /** Metric names, with a histogram's {@code _bucket}, {@code _count}, {@code _sum} removed. */
  static Set<String> metrics(String promql) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(promql);
    while (m.find()) {
      names.add(m.group().replaceFirst("_(bucket|count|sum|max)$", ""));
    }
    return names;
  }
}
