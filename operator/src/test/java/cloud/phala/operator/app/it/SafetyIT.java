package cloud.phala.operator.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.app.owner.Installation;
import cloud.phala.operator.crd.EnvFromSource;
import cloud.phala.operator.crd.EnvVarSource;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crd.Rollout;
import cloud.phala.operator.crd.SecretKeySelector;
import cloud.phala.operator.crypto.KmsSigner;
import cloud.phala.operator.simulator.hooks.FaultRule;
import cloud.phala.operator.simulator.http.RequestLog;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input stops the update before anything is sent; no secret value leaks anywhere. */
@KubeApiTest
class SafetyIT {
  private static OperatorFixture fixture;
  private static LogCapture logs;

  @BeforeAll
  static void start(KubernetesClient client, TestNamespace ns) {
    logs = new LogCapture();
    fixture = OperatorFixture.start(client, ns.name(), Duration.ofMillis(200));
  }

  @AfterAll
  static void stop() {
    fixture.close();
    logs.close();
  }

  private static List<RequestLog.Entry> writes() {
    return fixture.simulator.requestLog().entries().stream()
        .filter(e -> !e.method().equals("GET"))
        .toList();
  }

  @Test
  void aMissingSecretOrKey_blocksWithSecretsResolvedFalse_andSendsNothing(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("missing-db", Map.of("url", "postgres://x"));
    fixture.simulator.requestLog().clear();

    apps.create(
        "missing",
        1,
        spec ->
            spec.env =
                List.of(
                    Apps.fromSecret("DATABASE_URL", "missing-db", "url"),
                    Apps.fromSecret("API_TOKEN", "absent", "token")));

    PhalaAppStatus status =
        apps.awaitStatus("missing", s -> Apps.condition(s, "SecretsResolved", "False"));
    assertThat(status.phase).isEqualTo("Blocked");
    assertThat(status.conditions)
        .filteredOn(c -> c.getType().equals("SecretsResolved"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getReason()).isEqualTo("MissingSource");
              assertThat(c.getMessage()).contains("Secret absent not found");
            });
    assertThat(writes()).isEmpty();
    assertThat(client.v1().events().inNamespace(ns.name()).list().getItems())
        .anyMatch(
            e ->
                "MissingSource".equals(e.getReason())
                    && e.getInvolvedObject().getName().equals("missing"));
  }

  @Test
  void anOverLimitValueOrAnInvalidName_isInvalidEnv_andSendsNothing(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("big-db", Map.of("url", "x".repeat(128 * 1024 + 1)));
    fixture.simulator.requestLog().clear();

    apps.create(
        "too-big", 1, spec -> spec.env = List.of(Apps.fromSecret("DATABASE_URL", "big-db", "url")));

    PhalaAppStatus status =
        apps.awaitStatus("too-big", s -> Apps.condition(s, "SecretsResolved", "False"));
    assertThat(status.conditions)
        .filteredOn(c -> c.getType().equals("SecretsResolved"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getReason()).isEqualTo("InvalidEnv");
              assertThat(c.getMessage()).contains("DATABASE_URL").contains("131073 bytes");
            });
    assertThat(writes()).isEmpty();
  }

  @Test
  void aMissingKeyOrAnInvalidEnvNameFromEnvFrom_blocks_andSendsNothing(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("keyless", Map.of("other", "x"));
    apps.secret("badnames", Map.of("not-a-valid-name", "x"));
    fixture.simulator.requestLog().clear();

    apps.create(
        "keyless-app",
        1,
        spec -> spec.env = List.of(Apps.fromSecret("DATABASE_URL", "keyless", "url")));
    apps.create(
        "badname-app",
        1,
        spec -> {
          spec.env = List.of();
          EnvFromSource from = new EnvFromSource();
          from.secretRef = new EnvFromSource.NamedRef();
          from.secretRef.name = "badnames";
          spec.envFrom = List.of(from);
        });

    PhalaAppStatus keyless =
        apps.awaitStatus("keyless-app", s -> Apps.condition(s, "SecretsResolved", "False"));
    PhalaAppStatus badName =
        apps.awaitStatus("badname-app", s -> Apps.condition(s, "SecretsResolved", "False"));
    assertThat(keyless.conditions)
        .anyMatch(
            c ->
                c.getMessage() != null && c.getMessage().contains("Secret keyless has no key url"));
    assertThat(badName.conditions)
        .anyMatch(
            c -> "InvalidEnv".equals(c.getReason()) && c.getMessage().contains("not-a-valid-name"));
    assertThat(writes()).isEmpty();
  }

  @Test
  void anApiKeyWithALineBreak_isCredentialsUnavailable_namingTheSecretAndKey_neverTheKey(
      KubernetesClient client, TestNamespace ns) throws Exception {
    Apps apps = new Apps(client, ns.name());
    String canary = "phak_canary-" + UUID.randomUUID();
    apps.secret("pasted-db", Map.of("url", "postgres://pasted"));
    apps.secret("pasted-api", Map.of("token", "pasted"));
    apps.secret("pasted-phala-key", Map.of("apiKey", canary + "\n" + canary));
    fixture.simulator.requestLog().clear();

    apps.create(
        "pasted",
        1,
        spec -> {
          spec.env =
              List.of(
                  Apps.fromSecret("DATABASE_URL", "pasted-db", "url"),
                  Apps.fromSecret("API_TOKEN", "pasted-api", "token"));
          spec.credentialsSecretRef = new SecretKeySelector();
          spec.credentialsSecretRef.name = "pasted-phala-key";
          spec.credentialsSecretRef.key = "apiKey";
        });

    // on failure, first say whether the key leaked (the HTTP client's refusal printed it)
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                emitted(client, ns).contains(canary)
                    || (apps.get("pasted").getStatus() != null
                        && Apps.condition(apps.get("pasted").getStatus(), "Ready", "False")));
    assertNoLeak(client, ns, canary);
    PhalaAppStatus status = apps.get("pasted").getStatus();
    assertThat(condition(status, "Ready").getReason()).isEqualTo("CredentialsUnavailable");
    assertThat(condition(status, "Ready").getMessage())
        .isEqualTo(
            "credentials Secret pasted-phala-key (key apiKey) does not hold a usable API key: it"
                + " contains a line break");
    assertThat(status.phase).isEqualTo("Blocked");
    assertThat(warnings(client, ns, "pasted"))
        .anyMatch(e -> "CredentialsUnavailable".equals(e.getReason()));
    assertThat(writes()).isEmpty();
  }

  private static Condition condition(PhalaAppStatus status, String type) {
    return status.conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private static List<Event> warnings(KubernetesClient client, TestNamespace ns, String app) {
    return client.v1().events().inNamespace(ns.name()).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()) && app.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  /**
   * Everything the operator wrote or said so far: its logs (with exception texts), every Event and
   * PhalaApp (status included) of the namespace, its metrics, and the decoded data of the Secrets
   * it owns (the rollback Secrets).
   */
  private static String emitted(KubernetesClient client, TestNamespace ns) throws Exception {
    StringBuilder out = new StringBuilder(logs.text());
    out.append(client.v1().events().inNamespace(ns.name()).list().getItems());
    client.resources(PhalaApp.class).inNamespace(ns.name()).list().getItems().stream()
        .map(Serialization::asJson)
        .forEach(out::append);
    out.append(fixture.scrapeMetrics());
    client
        .secrets()
        .inNamespace(ns.name())
        .withLabel("app.kubernetes.io/managed-by", "phala-operator")
        .list()
        .getItems()
        .forEach(
            secret ->
                secret
                    .getData()
                    .forEach(
                        (key, value) ->
                            out.append(key)
                                .append('=')
                                .append(value)
                                .append('=')
                                .append(
                                    new String(
                                        Base64.getDecoder().decode(value),
                                        StandardCharsets.ISO_8859_1))));
    return out.toString();
  }

  /** Fails naming which canary leaked, without printing everything that was emitted. */
  private static void assertNoLeak(KubernetesClient client, TestNamespace ns, String... canaries)
      throws Exception {
    String emitted = emitted(client, ns);
    for (String canary : canaries) {
      assertThat(emitted.contains(canary))
          .as("a planted value appears in logs, Events, status, metrics or a kept Secret")
          .isFalse();
    }
  }

  @Test
  void aRunningAppsSecretTurningBinary_blocks_sendsNothing_andThePreviousEnvKeepsRunning(
      KubernetesClient client, TestNamespace ns) throws Exception {
    Apps apps = new Apps(client, ns.name());
    PhalaAppStatus before = apps.running("turned");
    fixture.simulator.requestLog().clear();
    byte[] binary =
        ("\u00ff\u00fecanary-binary-" + UUID.randomUUID()).getBytes(StandardCharsets.ISO_8859_1);
    String encoded = Base64.getEncoder().encodeToString(binary);

    client
        .secrets()
        .inNamespace(ns.name())
        .withName("turned-api")
        .edit(
            secret -> {
              secret.setData(Map.of("token", encoded));
              return secret;
            });

    PhalaAppStatus blocked =
        apps.awaitStatus("turned", s -> Apps.condition(s, "SecretsResolved", "False"));
    assertThat(condition(blocked, "SecretsResolved").getReason()).isEqualTo("MissingSource");
    assertThat(condition(blocked, "SecretsResolved").getMessage())
        .contains("Secret turned-api key token is not UTF-8 text")
        .contains("running CVMs are left as they are")
        .doesNotContain("canary-binary")
        .doesNotContain(encoded);
    assertThat(warnings(client, ns, "turned"))
        .anyMatch(e -> "MissingSource".equals(e.getReason()))
        .noneMatch(e -> e.getMessage().contains("canary-binary"));
    assertThat(writes()).isEmpty();
    assertThat(Apps.booted(fixture.simulator, before.cvms.get(0).cvmId))
        .containsEntry("API_TOKEN", "turned-token");
    assertNoLeak(client, ns, "canary-binary", encoded);
  }

  @Test
  void aRefusedEnvUpdate_isACloudErrorEvent_thePreviousEnvKeepsRunning_andItIsAppliedLater(
      KubernetesClient client, TestNamespace ns) throws Exception {
    Apps apps = new Apps(client, ns.name());
    PhalaAppStatus before = apps.running("refused");
    String cvm = before.cvms.get(0).cvmId;
    String canary = "canary-refused-" + UUID.randomUUID();
    fixture
        .simulator
        .faults()
        .add(
            new FaultRule(
                null,
                FaultRule.Kind.ERROR,
                "PATCH",
                Pattern.compile(".*/envs"),
                null,
                1.0,
                null,
                422,
                Duration.ZERO));
    try {
      apps.secret("refused-api", Map.of("token", canary));

      PhalaAppStatus failing =
          apps.awaitStatus(
              "refused",
              s ->
                  Apps.condition(s, "Progressing", "True")
                      && "CloudUnavailable".equals(condition(s, "Progressing").getReason()));
      assertThat(condition(failing, "Progressing").getMessage())
          .isEqualTo("PATCH /cvms/{cvm_id}/envs failed with HTTP 422: Injected server error");
      assertThat(warnings(client, ns, "refused"))
          .anyMatch(
              e ->
                  "CloudError".equals(e.getReason())
                      && e.getMessage().contains("PATCH /cvms/{cvm_id}/envs failed with HTTP 422"))
          .noneMatch(e -> e.getMessage().contains(canary));
      assertThat(Apps.booted(fixture.simulator, cvm)).containsEntry("API_TOKEN", "refused-token");
      assertThat(fixture.simulator.world().get(cvm).boots()).isEqualTo(1);
      assertNoLeak(client, ns, canary);
    } finally {
      fixture.simulator.faults().clear();
    }

    apps.awaitStatus(
        "refused", s -> Apps.upToDate(s, 1) && Apps.condition(s, "Progressing", "False"));
    assertThat(Apps.booted(fixture.simulator, cvm)).containsEntry("API_TOKEN", canary);
  }

  @Test
  void aKmsRootKeyThatChangedSinceFirstUse_isRootKeyChanged_andNothingIsSealedToIt(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    PhalaAppStatus before = apps.running("rekeyed");
    String recorded = KmsSigner.generate(new SecureRandom()).rootKey().toHex();
    String trusted = recordRoot(client, ns, before.kmsId, recorded);
    try {
      fixture.simulator.requestLog().clear();

      apps.secret("rekeyed-api", Map.of("token", "rekeyed-2"));

      PhalaAppStatus blocked =
          apps.awaitStatus("rekeyed", s -> Apps.condition(s, "PublicKeyVerified", "False"));
      assertThat(condition(blocked, "PublicKeyVerified").getReason()).isEqualTo("RootKeyChanged");
      assertThat(condition(blocked, "PublicKeyVerified").getMessage())
          .contains("(" + recorded + ") to " + fixture.simulator.world().kms().rootKey().toHex());
      assertThat(blocked.phase).isEqualTo("Blocked");
      assertThat(warnings(client, ns, "rekeyed"))
          .anyMatch(e -> "RootKeyChanged".equals(e.getReason()));
      assertThat(writes()).isEmpty();
      assertThat(Apps.booted(fixture.simulator, before.cvms.get(0).cvmId))
          .containsEntry("API_TOKEN", "rekeyed-token");
    } finally {
      recordRoot(client, ns, before.kmsId, trusted);
    }
  }

  /** An operator admin's edit of the installation's recorded root key; returns the earlier one. */
  private static String recordRoot(
      KubernetesClient client, TestNamespace ns, String kmsId, String root) {
    String entry = Installation.rootKeyEntry(kmsId);
    String[] earlier = new String[1];
    client
        .configMaps()
        .inNamespace(ns.name())
        .withName(Installation.NAME)
        .edit(
            map -> {
              earlier[0] = map.getData().put(entry, root);
              return map;
            });
    return earlier[0];
  }

  @Test
  void canaryValues_neverAppearInLogsEventsStatusMetricsOrErrors(
      KubernetesClient client, TestNamespace ns) throws Exception {
    Apps apps = new Apps(client, ns.name());
    String dbCanary = "canary-db-" + UUID.randomUUID();
    String tokenCanary = "canary-token-" + UUID.randomUUID();
    apps.secret("db", Map.of("url", dbCanary));
    apps.secret("api", Map.of("token", tokenCanary));
    apps.create(
        "canary",
        2,
        spec -> {
          EnvVarSource unused = Apps.fromSecret("UNUSED_BY_COMPOSE", "db", "url");
          spec.env = List.of(spec.env.get(0), spec.env.get(1), unused);
        });
    apps.awaitStatus("canary", s -> Apps.upToDate(s, 2));
    apps.secret("api", Map.of("token", tokenCanary + "-rotated"));
    apps.awaitStatus(
        "canary", s -> Apps.upToDate(s, 2) && Apps.condition(s, "Progressing", "False"));

    assertThat(emitted(client, ns)).contains("UNUSED_BY_COMPOSE");
    assertNoLeak(client, ns, dbCanary, tokenCanary);
  }

  @Test
  void canaryValues_neverAppearAnywhere_whenABootFailsAndTheAppRollsBackToItsPhalaCloudRevision(
      KubernetesClient client, TestNamespace ns) throws Exception {
    Apps apps = new Apps(client, ns.name());
    String first = "canary-rollback-1-" + UUID.randomUUID();
    String second = "canary-rollback-2-" + UUID.randomUUID();
    apps.secret("back-db", Map.of("url", "postgres://back"));
    apps.secret("back-api", Map.of("token", first));
    apps.create(
        "back",
        1,
        spec -> {
          spec.env =
              List.of(
                  Apps.fromSecret("DATABASE_URL", "back-db", "url"),
                  Apps.fromSecret("API_TOKEN", "back-api", "token"));
          spec.rollout = new Rollout();
          spec.rollout.onFailure = Rollout.OnFailure.Rollback;
        });
    PhalaAppStatus ready =
        apps.awaitStatus("back", s -> Apps.upToDate(s, 1) && s.rollout.rollbackRecord != null);
    fixture
        .simulator
        .faults()
        .add(
            new FaultRule(
                null, FaultRule.Kind.BOOT_FAIL, null, null, null, 1.0, 1, 0, Duration.ZERO));

    apps.secret("back-api", Map.of("token", second));

    apps.awaitStatus(
        "back",
        s ->
            "RolledBack".equals(s.rollout.action)
                && Integer.valueOf(1).equals(s.readyReplicas)
                && Apps.condition(s, "Progressing", "False"));
    assertThat(Apps.booted(fixture.simulator, ready.cvms.get(0).cvmId))
        .containsEntry("API_TOKEN", first);
    assertThat(warnings(client, ns, "back")).anyMatch(e -> "RollingBack".equals(e.getReason()));
    assertNoLeak(client, ns, first, second);
  }

  @Test
  void aSteadyApp_causesNoWritesToKubernetesOrPhalaCloud(
      KubernetesClient client, TestNamespace ns) {
    Apps apps = new Apps(client, ns.name());
    apps.secret("steady-db", Map.of("url", "postgres://steady"));
    apps.create(
        "steady",
        2,
        spec -> spec.env = List.of(Apps.fromSecret("DATABASE_URL", "steady-db", "url")));
    apps.awaitStatus(
        "steady", s -> Apps.upToDate(s, 2) && Apps.condition(s, "Progressing", "False"));
    String resourceVersion = apps.get("steady").getMetadata().getResourceVersion();
    String appId = apps.get("steady").getStatus().appId;
    fixture.simulator.requestLog().clear();
    int writesBefore = writes().size();

    await()
        .during(Duration.ofSeconds(7))
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                apps.get("steady").getMetadata().getResourceVersion().equals(resourceVersion)
                    && writes().size() == writesBefore);
    // At rest, one shared listing serves every app: no per-app reads, at most one page per 1.5 s.
    List<RequestLog.Entry> reads = fixture.simulator.requestLog().entries();
    assertThat(reads).noneMatch(e -> e.path().equals("/api/v1/apps/" + appId + "/cvms"));
    assertThat(reads.stream().filter(e -> e.path().equals("/api/v1/cvms/paginated")).count())
        .isBetween(1L, 6L);
  }
}
