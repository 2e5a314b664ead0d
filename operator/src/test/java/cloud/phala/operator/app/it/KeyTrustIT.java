package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crypto.KmsSigner;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An operator that trusts a KMS root key other than the one that signed the app's env key never
 * seals to that key: nothing is committed and PublicKeyVerified is False.
 */
@KubeApiTest
class KeyTrustIT {
  private static OperatorFixture fixture;

  @BeforeAll
  static void start(KubernetesClient client, TestNamespace ns) {
    String someoneElse = KmsSigner.generate(new SecureRandom()).rootKey().toHex();
    fixture =
        OperatorFixture.start(
            client,
            ns.name(),
            Duration.ofMillis(200),
            ns.name(),
            Map.of("PHALA_TRUSTED_KMS_KEYS", someoneElse));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void anEnvKeyNotSignedByATrustedKmsKey_isNeverUsed(KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("db", Map.of("url", "postgres://trust"));
    apps.secret("api", Map.of("token", "trust"));

    apps.create("untrusted", 1, spec -> {});

    PhalaAppStatus status =
        apps.awaitStatus("untrusted", s -> Apps.condition(s, "PublicKeyVerified", "False"));
    assertThat(status.conditions)
        .filteredOn(c -> c.getType().equals("PublicKeyVerified"))
        .singleElement()
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("SignatureInvalid"));
    assertThat(status.phase).isEqualTo("Blocked");
    assertThat(fixture.simulator.world().list()).isEmpty();
    assertThat(fixture.simulator.requestLog().entries())
        .noneMatch(e -> e.method().equals("POST") && e.path().equals("/api/v1/cvms"));
    long provisions = provisions();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> provisions() == provisions);
  }

  private static long provisions() {
    return fixture.simulator.requestLog().entries().stream()
        .filter(e -> e.path().endsWith("/provision"))
        .count();
  }

  @Test
  void healthAndReadinessEndpoints_answer(KubernetesClient client) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String path : new String[] {"/healthz", "/readyz"}) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + fixture.operator.httpPort() + path))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path).isEqualTo(200);
    }
  }
}
