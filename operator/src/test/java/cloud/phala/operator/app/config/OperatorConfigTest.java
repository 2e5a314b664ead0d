package cloud.phala.operator.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloud.phala.operator.crypto.KmsSigner;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void settings_comeFromTheEnvironmentWithSafeDefaults() {
    OperatorConfig defaults = OperatorConfig.fromEnvironment(Map.of());

    assertThat(defaults.apiUrl()).isEqualTo("https://cloud-api.phala.com/api/v1");
    assertThat(defaults.defaultCredentials()).isEmpty();
    assertThat(defaults.defaultCredentialsAllowedIn("anything")).isFalse();
    assertThat(defaults.watchNamespaces()).isEmpty();
    assertThat(defaults.trustedKmsKeys()).isEmpty();
    assertThat(defaults.progressPoll()).isEqualTo(Duration.ofSeconds(2));
    assertThat(defaults.steadyPoll()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void defaultCredentials_serveOnlyTheListedNamespaces_orAllWithAStar() {
    String key = KmsSigner.fromHex("01".repeat(32)).rootKey().toHex();
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.of(
                "PHALA_DEFAULT_CREDENTIALS", "phala-system/phala-api/apiKey",
                "PHALA_DEFAULT_CREDENTIALS_NAMESPACES", "team-a, team-b",
                "WATCH_NAMESPACES", "team-a,team-b,team-c",
                "PHALA_TRUSTED_KMS_KEYS", key));

    assertThat(config.defaultCredentialsAllowedIn("team-a")).isTrue();
    assertThat(config.defaultCredentialsAllowedIn("team-c")).isFalse();
    assertThat(config.watchNamespaces()).containsExactlyInAnyOrder("team-a", "team-b", "team-c");
    assertThat(config.trustedKmsKeys()).extracting(k -> k.toHex()).containsExactly(key);
    assertThat(
            OperatorConfig.fromEnvironment(
                    Map.of(
                        "PHALA_DEFAULT_CREDENTIALS",
                        "ns/s/k",
                        "PHALA_DEFAULT_CREDENTIALS_NAMESPACES",
                        "*"))
                .defaultCredentialsAllowedIn("any"))
        .isTrue();
  }

  @Test
  void aMalformedCredentialsReference_isRefused() {
    assertThatThrownBy(
            () ->
                OperatorConfig.fromEnvironment(Map.of("PHALA_DEFAULT_CREDENTIALS", "just-a-name")))
        .hasMessageContaining("namespace/secret/key");
  }

  @Test
  void pollIntervals_acceptMillisecondsFractionsMinutesAndHours_andRefuseAnythingElseByName() {
    Map<String, String> env =
        Map.of("PROGRESS_POLL", "500ms", "STEADY_POLL", "1m30s", "LEASE_DURATION", "0.5s");
    OperatorConfig config = OperatorConfig.fromEnvironment(env);

    assertThat(config.progressPoll()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.steadyPoll()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.leaseDuration()).isEqualTo(Duration.ofMillis(500));
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("STEADY_POLL", "soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("STEADY_POLL")
        .hasMessageContaining("'soon'");
  }

  @Test
  void throughputKnobs_defaultToJosdksFiftyThreadsAndNoKubernetesRateLimit() {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of());

    assertThat(config.throughput()).isEqualTo(new Throughput(50, false, 0, 0));
    assertThat(
            OperatorConfig.fromEnvironment(
                    Map.of("RECONCILE_THREADS", "200", "KUBE_CLIENT_QPS", "50"))
                .throughput())
        .as("the burst defaults to twice the rate")
        .isEqualTo(new Throughput(200, false, 50, 100));
    assertThat(
            OperatorConfig.fromEnvironment(
                    Map.of(
                        "KUBE_CLIENT_QPS",
                        "0.5",
                        "KUBE_CLIENT_BURST",
                        "3",
                        "PASS_ORDER",
                        "rollouts-first"))
                .throughput())
        .isEqualTo(new Throughput(50, true, 0.5, 3));
  }

  @Test
  void theIntentJournal_isOffByDefault_andOnWhenAsked() {
    assertThat(OperatorConfig.fromEnvironment(Map.of()).throughput().intentJournal()).isFalse();
    assertThat(
            OperatorConfig.fromEnvironment(Map.of("INTENT_JOURNAL", "on"))
                .throughput()
                .intentJournal())
        .isTrue();
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("INTENT_JOURNAL", "yes")))
        .hasMessage("INTENT_JOURNAL must be on or off, not 'yes'");
  }

  @Test
  void badThroughputKnobs_areRefusedByName_withTheValueAndWhatIsAccepted() {
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("RECONCILE_THREADS", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("RECONCILE_THREADS must be a whole number from 1 to 1000, not '0'");
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("RECONCILE_THREADS", "many")))
        .hasMessageContaining("RECONCILE_THREADS")
        .hasMessageContaining("'many'");
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("PASS_ORDER", "fifo")))
        .hasMessage("PASS_ORDER must be arrival or rollouts-first, not 'fifo'");
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("KUBE_CLIENT_QPS", "-1")))
        .hasMessageContaining("KUBE_CLIENT_QPS must be requests per second")
        .hasMessageContaining("'-1'");
    assertThatThrownBy(
            () ->
                OperatorConfig.fromEnvironment(
                    Map.of("KUBE_CLIENT_QPS", "20", "KUBE_CLIENT_BURST", "0")))
        .hasMessage("KUBE_CLIENT_BURST must be a whole number from 1 up, not '0'");
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("KUBE_CLIENT_BURST", "10")))
        .hasMessageContaining("KUBE_CLIENT_BURST needs KUBE_CLIENT_QPS");
  }

  @Test
  void
      theDstackVerifierUrl_isAnAbsoluteHttpUrl_unsetByDefault_andAnythingElseIsRefusedWithoutEchoingIt() {
    assertThat(OperatorConfig.fromEnvironment(Map.of()).dstackVerifierUrl()).isEmpty();
    assertThat(
            OperatorConfig.fromEnvironment(
                    Map.of("DSTACK_VERIFIER_URL", "http://dstack-verifier.attest.svc:8080"))
                .dstackVerifierUrl())
        .contains(java.net.URI.create("http://dstack-verifier.attest.svc:8080"));
    assertThat(
            OperatorConfig.fromEnvironment(
                    Map.of("DSTACK_VERIFIER_URL", "https://verifier.example/dstack/"))
                .dstackVerifierUrl())
        .contains(java.net.URI.create("https://verifier.example/dstack/"));
    for (String bad :
        java.util.List.of(
            "verifier:8080",
            "/verify",
            "file:///etc/passwd",
            "ftp://verifier",
            "http://user:s3cret-canary@verifier",
            "http://verifier/?token=s3cret-canary",
            "http://verifier/#s3cret-canary",
            "http://verifier /x")) {
      assertThatThrownBy(
              () -> OperatorConfig.fromEnvironment(Map.of("DSTACK_VERIFIER_URL", bad)), bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("DSTACK_VERIFIER_URL")
          .hasMessageNotContaining("s3cret-canary");
    }
  }
}
