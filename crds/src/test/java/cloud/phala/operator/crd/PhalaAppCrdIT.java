package cloud.phala.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloud.phala.operator.testsupport.Command;
import cloud.phala.operator.testsupport.KubeApiServerHandle;
import cloud.phala.operator.testsupport.KubeApiTest;
import cloud.phala.operator.testsupport.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The CRD's schema, defaults and CEL rules, as the real API server enforces them. */
@KubeApiTest
class PhalaAppCrdIT {

  static PhalaApp app(TestNamespace ns, String name, Consumer<PhalaAppSpec> customize) {
    PhalaApp app = new PhalaApp();
    app.getMetadata().setName(name);
    app.getMetadata().setNamespace(ns.name());
    PhalaAppSpec spec = new PhalaAppSpec();
    spec.compose = new ContentSource();
    spec.compose.inline = "services: {}\n";
    customize.accept(spec);
    app.setSpec(spec);
    return app;
  }

  private static void refused(KubernetesClient client, PhalaApp app, String message) {
    assertThatThrownBy(() -> client.resource(app).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining(message);
  }

  @Test
  void schemaDefaults_fillInReplicasInstanceTypeDiskRolloutAndDeletionPolicy(
      KubernetesClient client, TestNamespace ns) {
    client.resource(app(ns, "defaults", s -> s.rollout = new Rollout())).create();

    PhalaAppSpec spec =
        client
            .resources(PhalaApp.class)
            .inNamespace(ns.name())
            .withName("defaults")
            .get()
            .getSpec();

    assertThat(spec.replicas).isEqualTo(1);
    assertThat(spec.instanceType).isEqualTo("tdx.small");
    assertThat(spec.diskSizeGb).isEqualTo(40);
    assertThat(spec.deletionPolicy).isEqualTo(PhalaAppSpec.DeletionPolicy.Delete);
    assertThat(spec.rollout.strategy).isEqualTo(Rollout.Strategy.RollingUpdate);
    assertThat(spec.rollout.maxUnavailable).isEqualTo(new IntOrString(1));
    assertThat(spec.rollout.maxSurge).isEqualTo(new IntOrString(0));
    assertThat(spec.rollout.readyTimeout).isEqualTo("10m");
    assertThat(spec.minReadySeconds).isZero();
    assertThat(spec.rollout.batchWindow).as("off unless set").isNull();
  }

  @Test
  void aBatchWindowUpToAnHour_andMinReadySecondsUpToAnHour_areAccepted(
      KubernetesClient client, TestNamespace ns) {
    List<String> windows = List.of("0s", "30s", "2m", "1h", "59m60s", "0000000000060m");
    for (int i = 0; i < windows.size(); i++) {
      String window = windows.get(i);
      client
          .resource(
              app(
                  ns,
                  "window-" + i,
                  s -> {
                    s.minReadySeconds = 3600;
                    s.rollout = new Rollout();
                    s.rollout.batchWindow = window;
                  }))
          .create();
    }
  }

  @Test
  void bothComposeSources_orNeither_areRefused(KubernetesClient client, TestNamespace ns) {
    refused(
        client,
        app(
            ns,
            "both",
            s -> {
              s.compose.configMapKeyRef = new ConfigMapKeySelector();
              s.compose.configMapKeyRef.name = "cm";
              s.compose.configMapKeyRef.key = "k";
            }),
        "set exactly one of inline or configMapKeyRef");
    refused(
        client,
        app(ns, "neither", s -> s.compose.inline = null),
        "set exactly one of inline or configMapKeyRef");
  }

  private static final String READY_TIMEOUT_ZERO =
      "spec.rollout.readyTimeout: Invalid value: \"string\": readyTimeout must be longer than 0s,"
          + " such as 10m, 90s or 1h30m: with 0s every replica given a new revision would fail the"
          + " rollout at once";
  private static final String READY_TIMEOUT_OVER_A_WEEK =
      "spec.rollout.readyTimeout: Invalid value: \"string\": readyTimeout must be at most 168h (7"
          + " days): CVMs boot in minutes, so a longer wait only hides a rollout that will not"
          + " finish";
  private static final String BATCH_WINDOW_OVER_AN_HOUR =
      "spec.rollout.batchWindow: Invalid value: \"string\": batchWindow must be at most 1h: it"
          + " only gathers a burst of changes (several Secrets refreshed together) into one"
          + " rollout";
  private static final String MAX_UNAVAILABLE_OVER_100 =
      "maxUnavailable must be at most 100 or 100%: a PhalaApp has at most 100 replicas, and 100%"
          + " already lets every replica be down at once";
  private static final String MAX_SURGE_OVER_100 =
      "maxSurge must be at most 100 or 100%: a PhalaApp has at most 100 replicas, and 100%"
          + " already starts a new CVM for every replica before an old one goes";

  static Stream<Arguments> malformedSpecs() {
    String compose = "\"compose\":{\"inline\":\"services: {}\"}";
    return Stream.of(
        Arguments.of("no spec", null, "spec: Required value"),
        Arguments.of("no compose", "{}", "spec.compose: Required value"),
        Arguments.of(
            "negative replicas",
            "{" + compose + ",\"replicas\":-1}",
            "spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or"
                + " equal to 0"),
        Arguments.of(
            "too many replicas",
            "{" + compose + ",\"replicas\":101}",
            "spec.replicas in body should be less than or equal to 100"),
        Arguments.of(
            "replicas as a string",
            "{" + compose + ",\"replicas\":\"three\"}",
            "spec.replicas in body must be of type integer"),
        Arguments.of(
            "a disk under 10 GB",
            "{" + compose + ",\"diskSizeGb\":5}",
            "spec.diskSizeGb in body should be greater than or equal to 10"),
        Arguments.of(
            "an unknown deletion policy",
            "{" + compose + ",\"deletionPolicy\":\"Keep\"}",
            "spec.deletionPolicy: Unsupported value: \"Keep\": supported values: \"Delete\","
                + " \"Retain\""),
        Arguments.of(
            "an unknown TCB status",
            "{" + compose + ",\"attestation\":{\"tcbStatuses\":[\"UpToDate\",\"Fine\"]}}",
            "spec.attestation.tcbStatuses[1]: Unsupported value: \"Fine\""),
        Arguments.of(
            "an empty list of TCB statuses",
            "{" + compose + ",\"attestation\":{\"tcbStatuses\":[]}}",
            "spec.attestation.tcbStatuses in body should have at least 1 items"),
        Arguments.of(
            "an unknown rollout strategy",
            "{" + compose + ",\"rollout\":{\"strategy\":\"BlueGreen\"}}",
            "spec.rollout.strategy: Unsupported value: \"BlueGreen\""),
        Arguments.of(
            "a readyTimeout that is not a duration",
            "{" + compose + ",\"rollout\":{\"readyTimeout\":\"10 minutes\"}}",
            "spec.rollout.readyTimeout in body should match"),
        Arguments.of(
            "an empty readyTimeout",
            "{" + compose + ",\"rollout\":{\"readyTimeout\":\"\"}}",
            READY_TIMEOUT_ZERO),
        Arguments.of(
            "a readyTimeout of 0s",
            "{" + compose + ",\"rollout\":{\"readyTimeout\":\"0s\"}}",
            READY_TIMEOUT_ZERO),
        Arguments.of(
            "a readyTimeout of 0m",
            "{" + compose + ",\"rollout\":{\"readyTimeout\":\"0m\"}}",
            READY_TIMEOUT_ZERO),
        Arguments.of(
            "a readyTimeout of 0h0m0s",
            "{" + compose + ",\"rollout\":{\"readyTimeout\":\"0h0m0s\"}}",
            READY_TIMEOUT_ZERO),
        Arguments.of(
            "a readyTimeout over a week",
            "{" + compose + ",\"rollout\":{\"readyTimeout\":\"169h\"}}",
            READY_TIMEOUT_OVER_A_WEEK),
        Arguments.of(
            "a readyTimeout too long for any clock",
            "{" + compose + ",\"rollout\":{\"readyTimeout\":\"99999999999999999999h\"}}",
            READY_TIMEOUT_OVER_A_WEEK),
        Arguments.of(
            "a negative minReadySeconds",
            "{" + compose + ",\"minReadySeconds\":-1}",
            "spec.minReadySeconds in body should be greater than or equal to 0"),
        Arguments.of(
            "a minReadySeconds over an hour",
            "{" + compose + ",\"minReadySeconds\":3601}",
            "spec.minReadySeconds in body should be less than or equal to 3600"),
        Arguments.of(
            "a batchWindow that is not a duration",
            "{" + compose + ",\"rollout\":{\"batchWindow\":\"30 seconds\"}}",
            "spec.rollout.batchWindow in body should match"),
        Arguments.of(
            "a batchWindow over an hour",
            "{" + compose + ",\"rollout\":{\"batchWindow\":\"61m\"}}",
            BATCH_WINDOW_OVER_AN_HOUR),
        Arguments.of(
            "a batchWindow too long for any clock",
            "{" + compose + ",\"rollout\":{\"batchWindow\":\"99999999999999999999h\"}}",
            BATCH_WINDOW_OVER_AN_HOUR),
        Arguments.of(
            "a maxUnavailable percentage over 100",
            "{" + compose + ",\"rollout\":{\"maxUnavailable\":\"99999999999%\"}}",
            "spec.rollout.maxUnavailable: Invalid value: \"\": " + MAX_UNAVAILABLE_OVER_100),
        Arguments.of(
            "a maxUnavailable number over 100",
            "{" + compose + ",\"rollout\":{\"maxUnavailable\":99999999999}}",
            "spec.rollout.maxUnavailable: Invalid value: \"\": " + MAX_UNAVAILABLE_OVER_100),
        Arguments.of(
            "a maxSurge percentage over 100",
            "{" + compose + ",\"rollout\":{\"maxSurge\":\"99999999999%\"}}",
            "spec.rollout.maxSurge: Invalid value: \"\": " + MAX_SURGE_OVER_100),
        Arguments.of(
            "a maxSurge number over 100",
            "{" + compose + ",\"rollout\":{\"maxSurge\":99999999999}}",
            "spec.rollout.maxSurge: Invalid value: \"\": " + MAX_SURGE_OVER_100),
        Arguments.of(
            "an instanceType outside family.size",
            "{" + compose + ",\"instanceType\":\"TDX_SMALL\"}",
            "spec.instanceType in body should match"),
        Arguments.of(
            "an empty env name",
            "{" + compose + ",\"env\":[{\"name\":\"\",\"value\":\"x\"}]}",
            "spec.env[0].name in body should be at least 1 chars long"),
        Arguments.of(
            "an env name over 255 characters",
            "{" + compose + ",\"env\":[{\"name\":\"" + "K".repeat(256) + "\"}]}",
            "spec.env[0].name: Too long: may not be"),
        Arguments.of(
            "env as an object instead of a list",
            "{" + compose + ",\"env\":{\"TOKEN\":\"x\"}}",
            "spec.env in body must be of type array"),
        Arguments.of(
            "a secretKeyRef without key",
            "{"
                + compose
                + ",\"env\":[{\"name\":\"A\",\"valueFrom\":{\"secretKeyRef\":"
                + "{\"name\":\"s\"}}}]}",
            "spec.env[0].valueFrom.secretKeyRef.key: Required value"),
        Arguments.of(
            "valueFrom with both a Secret and a ConfigMap",
            "{"
                + compose
                + ",\"env\":[{\"name\":\"A\",\"valueFrom\":{\"secretKeyRef\":"
                + "{\"name\":\"s\",\"key\":\"k\"},\"configMapKeyRef\":{\"name\":\"c\","
                + "\"key\":\"k\"}}}]}",
            "set exactly one of secretKeyRef or configMapKeyRef"),
        Arguments.of(
            "envFrom with both a Secret and a ConfigMap",
            "{"
                + compose
                + ",\"envFrom\":[{\"secretRef\":{\"name\":\"s\"},"
                + "\"configMapRef\":{\"name\":\"c\"}}]}",
            "set exactly one of secretRef or configMapRef"),
        Arguments.of(
            "an envFrom prefix outside the env name pattern",
            "{"
                + compose
                + ",\"envFrom\":[{\"prefix\":\"1-\",\"secretRef\":{\"name\":"
                + "\"s\"}}]}",
            "spec.envFrom[0].prefix in body should match"),
        Arguments.of(
            "awsEcr without a region",
            "{" + compose + ",\"awsEcr\":{\"registry\":\"r\",\"secretName\":\"s\"}}",
            "spec.awsEcr.region: Required value"),
        Arguments.of(
            "a secretKeyRef key with a line break",
            "{" + compose + ",\"env\":[" + fromSecret("s", "k\\nFAKE LOG LINE") + "]}",
            "spec.env[0].valueFrom.secretKeyRef.key in body should match '^[-._a-zA-Z0-9]+$'"),
        Arguments.of(
            "a secretKeyRef key with a space",
            "{" + compose + ",\"env\":[" + fromSecret("s", "my key") + "]}",
            "spec.env[0].valueFrom.secretKeyRef.key in body should match '^[-._a-zA-Z0-9]+$'"),
        Arguments.of(
            "a secretKeyRef key over 253 characters",
            "{" + compose + ",\"env\":[" + fromSecret("s", "k".repeat(254)) + "]}",
            "spec.env[0].valueFrom.secretKeyRef.key: Too long: may not be more than 253"),
        Arguments.of(
            "an empty secretKeyRef key",
            "{" + compose + ",\"env\":[" + fromSecret("s", "") + "]}",
            "spec.env[0].valueFrom.secretKeyRef.key in body should be at least 1 chars long"),
        Arguments.of(
            "a configMapKeyRef key with a slash",
            "{"
                + compose
                + ",\"env\":[{\"name\":\"A\",\"valueFrom\":{\"configMapKeyRef\":"
                + "{\"name\":\"c\",\"key\":\"a/b\"}}}]}",
            "spec.env[0].valueFrom.configMapKeyRef.key in body should match"),
        Arguments.of(
            "a compose configMapKeyRef key with a space",
            "{\"compose\":{\"configMapKeyRef\":{\"name\":\"c\",\"key\":\"docker compose\"}}}",
            "spec.compose.configMapKeyRef.key in body should match"),
        Arguments.of(
            "a credentialsSecretRef key with a line break",
            "{" + compose + ",\"credentialsSecretRef\":{\"name\":\"s\",\"key\":\"api\\nKey\"}}",
            "spec.credentialsSecretRef.key in body should match"),
        Arguments.of(
            "a secretKeyRef name that is not a Kubernetes name",
            "{" + compose + ",\"env\":[" + fromSecret("Db_Secret", "k") + "]}",
            "spec.env[0].valueFrom.secretKeyRef.name in body should match"),
        Arguments.of(
            "an envFrom Secret name over 253 characters",
            "{"
                + compose
                + ",\"envFrom\":[{\"secretRef\":{\"name\":\""
                + "s".repeat(254)
                + "\"}}]}",
            "spec.envFrom[0].secretRef.name: Too long: may not be more than 253"),
        Arguments.of(
            "a registryAuth Secret name with a space",
            "{" + compose + ",\"registryAuth\":{\"secretName\":\"my regcred\"}}",
            "spec.registryAuth.secretName in body should match"));
  }

  /** An env entry, as JSON, reading key {@code key} of Secret {@code name}. */
  private static String fromSecret(String name, String key) {
    return "{\"name\":\"A\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\""
        + name
        + "\",\"key\":\""
        + key
        + "\"}}}";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedSpecs")
  void aMalformedSpec_isRefusedByTheApiServer_namingTheFieldAndTheRule(
      String label, String specJson, String message, KubernetesClient client, TestNamespace ns) {
    String name = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");

    assertThatThrownBy(() -> createRaw(client, ns, name, specJson))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getStatus().getMessage()).contains(message);
            });
  }

  @Test
  void everyDataKeyAndNameKubernetesAllows_isAccepted(KubernetesClient client, TestNamespace ns) {
    String spec =
        "{\"compose\":{\"configMapKeyRef\":{\"name\":\"compose.v1\",\"key\":\"docker-compose.yml\"}},"
            + "\"env\":["
            + fromSecret("db-secret.v2", "_A-z.0-9")
            + "],"
            + "\"sshAuthorizedKeys\":{\"secretKeyRef\":{\"name\":\"ssh\",\"key\":\""
            + "k".repeat(253)
            + "\"}},"
            + "\"registryAuth\":{\"secretName\":\"regcred\"},"
            + "\"rootPasswordSecretRef\":{\"name\":\"root\",\"key\":\".dockerconfigjson\"},"
            + "\"credentialsSecretRef\":{\"name\":\""
            + "a".repeat(253)
            + "\",\"key\":\"tls.crt\"}}";

    createRaw(client, ns, "allowed-refs", spec);

    assertThat(
            client.resources(PhalaApp.class).inNamespace(ns.name()).withName("allowed-refs").get())
        .isNotNull();
  }

  /** Creates a PhalaApp from raw JSON, as kubectl apply would send it, with no typed model. */
  private static void createRaw(
      KubernetesClient client, TestNamespace ns, String name, String specJson) {
    GenericKubernetesResource app = new GenericKubernetesResource();
    app.setApiVersion("phala.cloud/v1alpha1");
    app.setKind("PhalaApp");
    app.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns.name()).build());
    if (specJson != null) {
      app.setAdditionalProperty("spec", Serialization.unmarshal(specJson, Map.class));
    }
    client
        .genericKubernetesResources("phala.cloud/v1alpha1", "PhalaApp")
        .inNamespace(ns.name())
        .resource(app)
        .create();
  }

  @Test
  void aLiteralValueOfTheWrongType_isRefused_withoutEchoingTheValue(
      KubernetesClient client, TestNamespace ns) {
    String spec =
        "{\"compose\":{\"inline\":\"x\"},\"env\":[{\"name\":\"PIN\",\"value\":73950462}]}";

    assertThatThrownBy(() -> createRaw(client, ns, "numeric", spec))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getStatus().getMessage())
                  .contains("spec.env[0].value in body must be of type string")
                  .doesNotContain("73950462");
            });
  }

  @Test
  void valueAndValueFromTogether_areRefused(KubernetesClient client, TestNamespace ns) {
    EnvVarSource both = new EnvVarSource();
    both.name = "TOKEN";
    both.value = "x";
    both.valueFrom = new EnvVarSource.ValueFrom();
    both.valueFrom.secretKeyRef = new SecretKeySelector();
    both.valueFrom.secretKeyRef.name = "s";
    both.valueFrom.secretKeyRef.key = "k";

    refused(
        client,
        app(ns, "value-both", s -> s.env = List.of(both)),
        "set value or valueFrom, not both");
  }

  @Test
  void anEnvNameOutsideTheGuestPattern_isRefused(KubernetesClient client, TestNamespace ns) {
    EnvVarSource bad = new EnvVarSource();
    bad.name = "1-BAD";
    bad.value = "x";

    refused(client, app(ns, "bad-name", s -> s.env = List.of(bad)), "spec.env[0].name");
  }

  @Test
  void zeroMaxUnavailableAndZeroMaxSurge_areRefused_percentagesAccepted(
      KubernetesClient client, TestNamespace ns) {
    refused(
        client,
        app(
            ns,
            "stuck",
            s -> {
              s.rollout = new Rollout();
              s.rollout.maxUnavailable = new IntOrString(0);
              s.rollout.maxSurge = new IntOrString("0%");
            }),
        "maxUnavailable and maxSurge cannot both be 0");
    refused(
        client,
        app(
            ns,
            "not-percent",
            s -> {
              s.rollout = new Rollout();
              s.rollout.maxUnavailable = new IntOrString("half");
            }),
        "maxUnavailable must be a non-negative integer or a percentage");

    client
        .resource(
            app(
                ns,
                "percent",
                s -> {
                  s.rollout = new Rollout();
                  s.rollout.maxUnavailable = new IntOrString("25%");
                  s.rollout.maxSurge = new IntOrString(1);
                }))
        .create();
  }

  @Test
  void rolloutNumbers_atTheirBounds_areAccepted_onePastAreRefused(
      KubernetesClient client, TestNamespace ns) {
    client
        .resource(
            app(
                ns,
                "at-bounds",
                s -> {
                  s.rollout = new Rollout();
                  s.rollout.maxUnavailable = new IntOrString("100%");
                  s.rollout.maxSurge = new IntOrString(100);
                  s.rollout.readyTimeout = "168h";
                }))
        .create();
    client
        .resource(
            app(
                ns,
                "padded-and-short",
                s -> {
                  s.rollout = new Rollout();
                  s.rollout.maxUnavailable = new IntOrString(100);
                  s.rollout.maxSurge = new IntOrString("007%");
                  s.rollout.readyTimeout = "1s";
                }))
        .create();

    refused(
        client,
        app(
            ns,
            "past-percent",
            s -> {
              s.rollout = new Rollout();
              s.rollout.maxUnavailable = new IntOrString("101%");
            }),
        MAX_UNAVAILABLE_OVER_100);
    refused(
        client,
        app(
            ns,
            "past-number",
            s -> {
              s.rollout = new Rollout();
              s.rollout.maxSurge = new IntOrString(101);
            }),
        MAX_SURGE_OVER_100);
    refused(
        client,
        app(
            ns,
            "past-a-week",
            s -> {
              s.rollout = new Rollout();
              s.rollout.readyTimeout = "167h60m1s";
            }),
        READY_TIMEOUT_OVER_A_WEEK);
  }

  @Test
  void dayTwoFields_acceptRfc3339TimesAndARevisionNumber_refuseAnythingElse(
      KubernetesClient client, TestNamespace ns) {
    client
        .resource(
            app(
                ns,
                "day-two",
                s -> {
                  s.restartAt = "2026-12-03T10:00:00Z";
                  s.rollout = new Rollout();
                  s.rollout.retryAt = "2026-12-03T10:00:00.123+01:00";
                  s.rollout.pinnedRevision = 1;
                  s.rollout.revisionHistoryLimit = 100;
                }))
        .create();

    refused(
        client,
        app(ns, "bad-restart", s -> s.restartAt = "now"),
        "restartAt must be an RFC 3339 time");
    refused(
        client,
        app(
            ns,
            "bad-retry",
            s -> {
              s.rollout = new Rollout();
              s.rollout.retryAt = "2026-12-03";
            }),
        "retryAt must be an RFC 3339 time");
    refused(
        client,
        app(
            ns,
            "bad-pin",
            s -> {
              s.rollout = new Rollout();
              s.rollout.pinnedRevision = 0;
            }),
        "pinnedRevision");
  }

  @Test
  void instanceTypeAndASetRegion_areImmutable(KubernetesClient client, TestNamespace ns) {
    client.resource(app(ns, "immutable", s -> s.region = "us-west")).create();

    assertThatThrownBy(
            () ->
                client
                    .resources(PhalaApp.class)
                    .inNamespace(ns.name())
                    .withName("immutable")
                    .edit(
                        a -> {
                          a.getSpec().instanceType = "tdx.large";
                          return a;
                        }))
        .hasMessageContaining("instanceType cannot be changed");
    assertThatThrownBy(
            () ->
                client
                    .resources(PhalaApp.class)
                    .inNamespace(ns.name())
                    .withName("immutable")
                    .edit(
                        a -> {
                          a.getSpec().region = "us-east";
                          return a;
                        }))
        .hasMessageContaining("region cannot be changed");
  }

  @Test
  void aMalformedAttestationPin_orAnUnknownMode_isRefused(
      KubernetesClient client, TestNamespace ns) {
    assertThatThrownBy(
            () ->
                client
                    .resource(
                        app(
                            ns,
                            "short-pin",
                            s -> {
                              s.attestation = new AttestationPolicy();
                              s.attestation.mode = AttestationPolicy.Mode.Required;
                              s.attestation.mrtd = "abc";
                            }))
                    .create())
        .hasMessageContaining("spec.attestation.mrtd")
        .hasMessageContaining("mrtd must be 96 hex digits (48 bytes), optionally 0x-prefixed");
    assertThatThrownBy(
            () ->
                client
                    .resource(
                        app(
                            ns,
                            "odd-pin",
                            s -> {
                              s.attestation = new AttestationPolicy();
                              s.attestation.rtmr2 = "zz".repeat(48);
                            }))
                    .create())
        .hasMessageContaining("rtmr2 must be 96 hex digits (48 bytes), optionally 0x-prefixed");
    PhalaApp pinned =
        client
            .resource(
                app(
                    ns,
                    "pinned",
                    s -> {
                      s.attestation = new AttestationPolicy();
                      s.attestation.rtmr0 = "0x" + "Ab".repeat(48);
                    }))
            .create();
    assertThat(pinned.getSpec().attestation.mode).isEqualTo(AttestationPolicy.Mode.Off);
    assertThat(pinned.getSpec().attestation.verifier)
        .isEqualTo(AttestationPolicy.Verifier.PHALA_CLOUD);
  }

  @Test
  void aMalformedKmsIdentityPin_isRefused_aHexOneOfAnyWholeByteLength_isKept(
      KubernetesClient client, TestNamespace ns) {
    for (String bad : new String[] {"abc", "xyz0", "", "ab".repeat(513)}) {
      assertThatThrownBy(
              () ->
                  client
                      .resource(
                          app(
                              ns,
                              "kms-pin-" + bad.length(),
                              s -> {
                                s.attestation = new AttestationPolicy();
                                s.attestation.kmsIdentity = bad;
                              }))
                      .create())
          .hasMessageContaining("spec.attestation.kmsIdentity")
          .hasMessageContaining(
              "kmsIdentity must be hex (whole bytes, at most 512), optionally 0x-prefixed");
    }
    String spki = "0x3059301306072a8648ce3d020106082a8648ce3d03010703420004" + "aB".repeat(64);
    PhalaApp pinned =
        client
            .resource(
                app(
                    ns,
                    "kms-pinned",
                    s -> {
                      s.attestation = new AttestationPolicy();
                      s.attestation.kmsIdentity = spki;
                    }))
            .create();
    assertThat(pinned.getSpec().attestation.kmsIdentity).isEqualTo(spki);
  }

  @Test
  void aRepeatedPlacementNodeId_orAMalformedOsImage_isRefused(
      KubernetesClient client, TestNamespace ns) {
    assertThatThrownBy(
            () ->
                client
                    .resource(
                        app(
                            ns,
                            "repeated-node",
                            s -> {
                              s.placement = new Placement();
                              s.placement.nodeIds = List.of(1, 1);
                            }))
                    .create())
        .hasMessageContaining("spec.placement.nodeIds")
        .hasMessageContaining("nodeIds must be distinct node ids (0 or more)");
    assertThatThrownBy(
            () -> client.resource(app(ns, "bad-image", s -> s.osImage = "Dstack 0.5.5")).create())
        .hasMessageContaining("spec.osImage")
        .hasMessageContaining("should match '^[a-z0-9][a-z0-9._-]*$'");
    client
        .resource(
            app(
                ns,
                "placed",
                s -> {
                  s.osImage = "dstack-0.5.5";
                  s.placement = new Placement();
                  s.placement.nodeIds = List.of(1, 2);
                }))
        .create();
  }

  @Test
  void kubectlScale_setsSpecReplicas_andExplainShowsFieldDocs(
      KubernetesClient client, TestNamespace ns, KubeApiServerHandle server) {
    client.resource(app(ns, "scaled", s -> {})).create();
    String kubectl = server.binaries().kubectl().toString();
    String kubeconfig = server.kubeConfigFile().toString();

    Command.run(
            kubectl,
            "--kubeconfig",
            kubeconfig,
            "-n",
            ns.name(),
            "scale",
            "papp/scaled",
            "--replicas=5")
        .requireSuccess();
    String explain =
        Command.run(kubectl, "--kubeconfig", kubeconfig, "explain", "phalaapp.spec.rollout")
            .requireSuccess()
            .output();
    String table =
        Command.run(kubectl, "--kubeconfig", kubeconfig, "-n", ns.name(), "get", "papp")
            .requireSuccess()
            .output();

    assertThat(
            client
                .resources(PhalaApp.class)
                .inNamespace(ns.name())
                .withName("scaled")
                .get()
                .getSpec()
                .replicas)
        .isEqualTo(5);
    assertThat(explain)
        .contains("maxUnavailable", "How many replicas may be down for an update at once");
    assertThat(table.lines().findFirst().orElseThrow())
        .contains("NAME", "READY", "REVISION", "STATUS", "AGE");
  }
}
