package cloud.phala.operator.cloud;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP exchange with the Phala Cloud API, below retries and error handling: by default the JDK
 * HTTP client; in a simulation, a call straight into an in-process simulator. The headers carry the
 * API key: an implementation never logs them.
 */
@FunctionalInterface
public interface PhalaExchange {
  /** The status, headers and body of an answer. */
  record Reply(int status, Map<String, List<String>> headers, byte[] body) {
    /** The first value of a header, its name matched ignoring case. */
    public Optional<String> header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return Optional.ofNullable(e.getValue().get(0));
        }
      }
      return Optional.empty();
    }
  }

  /**
   * Sends one request and returns the answer, whatever its status.
   *
   * @param path the path below the API's base URL with its query, e.g. {@code /cvms/x?page=1}
   * @param body the request body, or null for none
   * @throws IOException when no answer came (connection refused or dropped, timeout)
   */
  Reply exchange(String method, String path, Map<String, List<String>> headers, byte[] body)
      throws IOException;
}
