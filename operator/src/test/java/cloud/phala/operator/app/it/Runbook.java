package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a page's {@code ```http} blocks in order against the fixture's simulator: the first line is
 * the method and path, the rest the JSON body; {@code values} fill the placeholders. Each must be
 * answered 2xx; returns the answers.
 */
final class Runbook {
  private static final Pattern BLOCK = Pattern.compile("(?s)```http\\n(.*?)```");

  private Runbook() {}

  static List<String> run(Path page, Map<String, String> values, OperatorFixture fixture)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    List<String> answers = new ArrayList<>();
    Matcher block = BLOCK.matcher(Files.readString(page));
    while (block.find()) {
      String text = block.group(1);
      for (Map.Entry<String, String> v : values.entrySet()) {
        text = text.replace(v.getKey(), v.getValue());
      }
      String[] lines = text.strip().split("\\n", 2);
      String[] request = lines[0].split(" ", 2);
      String body = lines.length > 1 ? lines[1].strip() : "";
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(URI.create(fixture.simulator.rootUrl() + request[1].strip()))
              .timeout(Duration.ofSeconds(10))
              .header("X-API-Key", fixture.simulator.apiKey())
              .header("Content-Type", "application/json")
              .method(
                  request[0],
                  body.isEmpty()
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      HttpResponse<String> answer =
          http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(lines[0]).isBetween(200, 299);
      answers.add(answer.body());
    }
    return answers;
  }
}
