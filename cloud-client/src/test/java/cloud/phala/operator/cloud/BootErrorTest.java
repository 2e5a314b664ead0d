package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code boot_error} is text Phala Cloud (or the guest) wrote, and the operator copies it into
 * status conditions and Events: it arrives as one line of bounded length, saying when it was cut.
 */
class BootErrorTest {
  private HttpServer server;
  private volatile String bootError;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/api/v1/cvms/",
        exchange -> {
          byte[] body =
              new ObjectMapper()
                  .writeValueAsBytes(
                      Map.of("status", "error", "in_progress", false, "boot_error", bootError));
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String read() {
    return new PhalaCloudClient(
            PhalaCloudConfig.of(
                "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1", "phak_test"),
            ApiCallObserver.NONE)
        .state("cvm-1")
        .bootError()
        .orElseThrow();
  }

  @Test
  void aLongBootError_isCut_sayingSo() {
    bootError = "x".repeat(10_000);

    assertThat(read()).isEqualTo("x".repeat(200) + "… (cut: 10000 characters in all)");
  }

  @Test
  void controlCharacters_becomeSpaces_soABootErrorCannotForgeLinesOrColours() {
    bootError = "failed\n2026-01-01 INFO all good\r\n\u001b[32mok\u001b[0m\u202e";

    assertThat(read()).isEqualTo("failed 2026-01-01 INFO all good [32mok [0m");
  }

  @Test
  void aShortOneLineBootError_isKeptAsItIs() {
    bootError = "Boot failed: env could not be decrypted";

    assertThat(read()).isEqualTo("Boot failed: env could not be decrypted");
  }
}
