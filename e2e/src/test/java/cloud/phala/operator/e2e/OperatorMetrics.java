package cloud.phala.operator.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Prometheus text the operator serves on /metrics, as series and metric families. */
final class OperatorMetrics {
  private static final Pattern TYPE = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$");
  static final Path DOC = Path.of("..", "docs", "metrics.md");
  private static final Pattern DOCUMENTED =
      Pattern.compile("(?m)^\\| `([a-z_]+)` \\| (?:counter|gauge|histogram) \\|");
  private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][^ ]*) (\\S+)$");

  private OperatorMetrics() {}

  static String text(int port) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Every sample, keyed by its name and labels as printed, e.g. {@code a_total{x="y"}}. */
  static Map<String, Double> scrape(int port) throws IOException, InterruptedException {
    return samples(text(port));
  }

  static Map<String, Double> samples(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    Matcher m = SAMPLE.matcher(text);
    while (m.find()) {
      samples.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return samples;
  }

  /**
   * The metric families ({@code # TYPE} lines) as docs/metrics.md names them: counters with {@code
   * _total}, a timer's {@code _max} gauge folded into its histogram.
   */
  static Set<String> families(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = TYPE.matcher(text);
    while (m.find()) {
      String name = m.group(1);
      names.add(m.group(2).equals("counter") && !name.endsWith("_total") ? name + "_total" : name);
    }
    names.removeIf(name -> name.endsWith("_max") && names.contains(name.replaceFirst("_max$", "")));
    return names;
  }

  /** The metric names in the first column of docs/metrics.md's tables. */
  static Set<String> documented() throws IOException {
    Set<String> names = new TreeSet<>();
    Matcher row = DOCUMENTED.matcher(Files.readString(DOC));
    while (row.find()) {
      names.add(row.group(1));
    }
    return names;
  }
}
