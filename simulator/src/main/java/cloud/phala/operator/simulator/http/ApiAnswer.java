package cloud.phala.operator.simulator.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the simulator answers to one request, ready for the wire: status, headers and body, or a
 * stream it writes itself. {@link #none()} is no answer at all: the connection is dropped.
 */
public record ApiAnswer(
    int status, Map<String, List<String>> headers, byte[] body, Response.StreamWriter stream) {
  private static final ApiAnswer NONE = new ApiAnswer(0, Map.of(), new byte[0], null);

  public static ApiAnswer none() {
    return NONE;
  }

  /** False when the connection was dropped without an answer. */
  public boolean answered() {
    return status != 0;
  }

  /** The first value of a header, its name matched ignoring case. */
  public Optional<String> header(String name) {
    return Headers.first(headers, name);
  }
}
