package cloud.phala.operator.app.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An API key is checked when it is read, so an unusable one is a condition naming the Secret and
 * key (never the value), not an exception from the HTTP client that prints the key.
 */
class CredentialsTest {
  private static final String CANARY = "phak_canary-c0ffee";

  private static PhalaApp appUsing(String secret, String key) {
    PhalaApp app = new PhalaApp();
    app.getMetadata().setName("app");
    app.getMetadata().setNamespace("team-a");
    app.setSpec(new PhalaAppSpec());
    app.getSpec().credentialsSecretRef = new SecretKeySelector();
    app.getSpec().credentialsSecretRef.name = secret;
    app.getSpec().credentialsSecretRef.key = key;
    return app;
  }

  private static Secret secret(String name, String key, String value) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("team-a")
        .endMetadata()
        .withData(
            Map.of(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  private static Credentials.Outcome read(String value) {
    Credentials credentials = new Credentials(OperatorConfig.fromEnvironment(Map.of()), null);
    Secret secret = secret("own-key", "apiKey", value);
    return credentials.apiKeyFor(
        appUsing("own-key", "apiKey"),
        name -> name.equals("own-key") ? Optional.of(secret) : Optional.empty());
  }

  @Test
  void anApiKeyWithALineBreak_isUnavailable_namingTheSecretAndKey_neverTheValue() {
    Credentials.Outcome outcome = read(CANARY + "\nX-Injected: 1");

    assertThat(outcome.apiKey()).isEmpty();
    assertThat(outcome.problem())
        .isEqualTo(
            "credentials Secret own-key (key apiKey) does not hold a usable API key: it contains a"
                + " line break")
        .doesNotContain("canary");
  }

  @Test
  void anApiKeyOfControlOrNonAsciiCharacters_orEmpty_isUnavailable_sayingWhatIsWrong() {
    assertThat(read(CANARY + "\u0000").problem()).endsWith("it contains a control character");
    assertThat(read("phak_\u00e9t\u00e9").problem())
        .endsWith("it contains a character outside printable ASCII");
    assertThat(read("  \n").problem()).endsWith("it is empty");
  }

  @Test
  void surroundingWhitespace_asEchoIntoAFileLeavesIt_isTrimmed() {
    assertThat(read("  " + CANARY + "\n").apiKey()).contains(CANARY);
  }

  @Test
  void anOutcome_neverPrintsTheKey() {
    Credentials.Outcome outcome = read(CANARY);

    assertThat(outcome.apiKey()).contains(CANARY);
    assertThat(outcome.toString()).doesNotContain("canary");
  }
}
