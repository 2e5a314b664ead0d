package cloud.phala.operator.cloud;

import cloud.phala.operator.simulator.PhalaSimulator;
import cloud.phala.operator.simulator.http.ApiAnswer;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Carries the client's requests straight into an in-process simulator: no socket, no thread. */
final class InProcessExchange implements PhalaExchange {
  private final PhalaSimulator simulator;

  InProcessExchange(PhalaSimulator simulator) {
    this.simulator = simulator;
  }

  @Override
  public Reply exchange(String method, String path, Map<String, List<String>> headers, byte[] body)
      throws IOException {
    ApiAnswer answer = simulator.dispatcher().handle(method, "/api/v1" + path, headers, body);
    if (!answer.answered()) {
      throw new IOException("the simulator closed the connection without an answer");
    }
    return new Reply(answer.status(), answer.headers(), answer.body());
  }
}
