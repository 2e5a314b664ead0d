package cloud.phala.operator.e2e;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names a PromQL text uses, as docs/metrics.md names them. */
final class Promql {
  private static final Pattern METRIC = Pattern.compile("\\b(?:phala|operator_sdk)_[a-z_]+");
  private static final Pattern MATCHER =
      Pattern.compile("\\b([a-z_]+)\\s*(?:=|!=|=~|!~)\\s*\"([^\"]*)\"");

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

  /**
   * The values a PromQL text matches {@code label} against ({@code =}, {@code !=}, and each
   * alternative of {@code =~} and {@code !~}).
   */
  static Set<String> labelValues(String promql, String label) {
    Set<String> values = new TreeSet<>();
    Matcher m = MATCHER.matcher(promql);
    while (m.find()) {
      if (m.group(1).equals(label)) {
        values.addAll(List.of(m.group(2).split("\\|")));
      }
    }
    return values;
  }
}
