package cloud.phala.operator.simulator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/** What a handler answers: a status and a body already encoded, or a stream it writes itself. */
public record Response(int status, String contentType, byte[] body, StreamWriter stream) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Writes a streamed (Server-Sent Events) body until it is done. */
  @FunctionalInterface
  public interface StreamWriter {
    void write(java.io.OutputStream out) throws java.io.IOException;
  }

  public static Response json(int status, Object body) {
    try {
      return new Response(status, "application/json", JSON.writeValueAsBytes(body), null);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Response ok(Object body) {
    return json(200, body);
  }

  public static Response noContent() {
    return new Response(204, null, new byte[0], null);
  }

  public static Response text(int status, String contentType, String body) {
    return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8), null);
  }

  public static Response eventStream(StreamWriter writer) {
    return new Response(200, "text/event-stream", new byte[0], writer);
  }
}
