package cloud.phala.operator.app.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crd.ConfigMapKeySelector;
import cloud.phala.operator.crd.ContentSource;
import cloud.phala.operator.crd.EnvFromSource;
import cloud.phala.operator.crd.EnvVarSource;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.RegistryAuth;
import cloud.phala.operator.crd.SecretKeySelector;
import cloud.phala.operator.crypto.EnvVar;
import cloud.phala.operator.crypto.EnvViolation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnvResolverTest {
  private static final String CANARY = "canary-9d1e-resolver";
  private final Map<String, Secret> secrets = new HashMap<>();
  private final Map<String, ConfigMap> configMaps = new HashMap<>();
  private final SourceLookup lookup =
      new SourceLookup() {
        @Override
        public Optional<Secret> secret(String name) {
          return Optional.ofNullable(secrets.get(name));
        }

        @Override
        public Optional<ConfigMap> configMap(String name) {
          return Optional.ofNullable(configMaps.get(name));
        }
      };

  private void secret(String name, Map<String, String> data) {
    Map<String, String> encoded = new HashMap<>();
    data.forEach(
        (k, v) ->
            encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    secrets.put(
        name,
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withData(encoded)
            .build());
  }

  private static PhalaAppSpec spec() {
    PhalaAppSpec spec = new PhalaAppSpec();
    spec.compose = new ContentSource();
    spec.compose.inline = "services: {}\n";
    return spec;
  }

  private static EnvVarSource fromSecret(String name, String secret, String key, Boolean optional) {
    EnvVarSource var = new EnvVarSource();
    var.name = name;
    var.valueFrom = new EnvVarSource.ValueFrom();
    var.valueFrom.secretKeyRef = new SecretKeySelector();
    var.valueFrom.secretKeyRef.name = secret;
    var.valueFrom.secretKeyRef.key = key;
    var.valueFrom.secretKeyRef.optional = optional;
    return var;
  }

  private static EnvVarSource literal(String name, String value) {
    EnvVarSource var = new EnvVarSource();
    var.name = name;
    var.value = value;
    return var;
  }

  @Test
  void envFromThenHelpersThenEnv_laterWinsOnADuplicateName() {
    secret("keys", Map.of("TOKEN", "from-envFrom", "OTHER", "o"));
    secret("db", Map.of("url", "postgres://x"));
    PhalaAppSpec spec = spec();
    EnvFromSource from = new EnvFromSource();
    from.secretRef = new EnvFromSource.NamedRef();
    from.secretRef.name = "keys";
    from.prefix = "API_";
    spec.envFrom = List.of(from);
    spec.env =
        List.of(fromSecret("DATABASE_URL", "db", "url", null), literal("API_TOKEN", "from-env"));

    Resolution.Resolved resolved = (Resolution.Resolved) EnvResolver.resolve(spec, lookup);

    assertThat(resolved.env().get("API_TOKEN")).contains("from-env");
    assertThat(resolved.env().get("API_OTHER")).contains("o");
    assertThat(resolved.env().get("DATABASE_URL")).contains("postgres://x");
    assertThat(resolved.compose()).isEqualTo("services: {}\n");
  }

  @Test
  void aMissingSecretOrKey_isMissing_namingIt_andNothingPartialIsReturned() {
    secret("db", Map.of("url", CANARY));
    PhalaAppSpec spec = spec();
    spec.env =
        List.of(
            fromSecret("A", "db", "password", null),
            fromSecret("B", "nope", "k", null),
            fromSecret("C", "db", "url", null));

    Resolution resolution = EnvResolver.resolve(spec, lookup);

    assertThat(resolution).isInstanceOf(Resolution.Missing.class);
    assertThat(((Resolution.Missing) resolution).problems())
        .containsExactly("Secret db has no key password", "Secret nope not found");
    assertThat(resolution.toString()).doesNotContain(CANARY);
  }

  @Test
  void anOptionalMissingKey_isSkipped() {
    PhalaAppSpec spec = spec();
    spec.env = List.of(fromSecret("A", "nope", "k", true), literal("B", "b"));

    Resolution.Resolved resolved = (Resolution.Resolved) EnvResolver.resolve(spec, lookup);

    assertThat(resolved.env().keys()).containsExactly("B");
  }

  private void binarySecret(String name, String type, Map<String, byte[]> data) {
    Map<String, String> encoded = new HashMap<>();
    data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v)));
    secrets.put(
        name,
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withType(type)
            .withData(encoded)
            .build());
  }

  private static EnvFromSource fromWholeSecret(String name, String prefix) {
    EnvFromSource from = new EnvFromSource();
    from.secretRef = new EnvFromSource.NamedRef();
    from.secretRef.name = name;
    from.prefix = prefix;
    return from;
  }

  /** Every problem and violation as the condition message would list them. */
  private static String message(Resolution resolution) {
    return resolution instanceof Resolution.Missing m
        ? String.join("; ", m.problems())
        : ((Resolution.Invalid) resolution)
            .violations().stream().map(EnvViolation::toString).toList().toString();
  }

  @ParameterizedTest(name = "through {0}")
  @ValueSource(strings = {"env", "envFrom", "rootPasswordSecretRef"})
  void binarySecretData_isRefusedByName_withoutItsBytes(String through) {
    byte[] binary = {(byte) 0xff, (byte) 0xfe, 'c', 'a', 'n', 'a', 'r', 'y'};
    binarySecret("bin", "Opaque", Map.of("k", binary));
    PhalaAppSpec spec = spec();
    switch (through) {
      case "env" -> spec.env = List.of(fromSecret("A", "bin", "k", null));
      case "envFrom" -> spec.envFrom = List.of(fromWholeSecret("bin", null));
      default -> {
        spec.rootPasswordSecretRef = new SecretKeySelector();
        spec.rootPasswordSecretRef.name = "bin";
        spec.rootPasswordSecretRef.key = "k";
      }
    }

    Resolution resolution = EnvResolver.resolve(spec, lookup);

    assertThat(((Resolution.Missing) resolution).problems())
        .containsExactly("Secret bin key k is not UTF-8 text");
    assertThat(message(resolution))
        .doesNotContain("canary")
        .doesNotContain(Base64.getEncoder().encodeToString(binary));
  }

  @Test
  void envFromATlsSecret_isInvalidEnv_namingTheDottedKeys_neverTheirValues() {
    binarySecret(
        "tls",
        "kubernetes.io/tls",
        Map.of(
            "tls.crt", ("-----BEGIN CERTIFICATE-----" + CANARY).getBytes(StandardCharsets.UTF_8),
            "tls.key", ("-----BEGIN PRIVATE KEY-----" + CANARY).getBytes(StandardCharsets.UTF_8)));
    PhalaAppSpec spec = spec();
    spec.envFrom = List.of(fromWholeSecret("tls", null));

    Resolution resolution = EnvResolver.resolve(spec, lookup);

    assertThat(((Resolution.Invalid) resolution).violations())
        .extracting(v -> v.key().orElseThrow(), EnvViolation::rule)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("tls.crt", EnvViolation.Rule.KEY_INVALID),
            org.assertj.core.groups.Tuple.tuple("tls.key", EnvViolation.Rule.KEY_INVALID));
    assertThat(message(resolution))
        .contains("tls.crt: key must match ^[A-Za-z_][A-Za-z0-9_]*$")
        .doesNotContain(CANARY)
        .doesNotContain("BEGIN");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1025 keys | TOO_MANY_VARS | the set has 1025 vars, the limit is 1024",
        "9 values of 128 KiB | SET_TOO_LARGE | bytes, the limit is 1048576",
        "a prefix making a key of 256 bytes | KEY_TOO_LONG | key is 256 bytes, the limit is 255"
      })
  void anOverLimitSetFromEnvFrom_isInvalidEnv_bySizesAndCountsOnly(
      String label, EnvViolation.Rule rule, String expected) {
    Map<String, String> data = new HashMap<>();
    String prefix = null;
    switch (rule) {
      case TOO_MANY_VARS -> {
        for (int i = 0; i < 1025; i++) {
          data.put("K" + i, CANARY);
        }
      }
      case SET_TOO_LARGE -> {
        for (int i = 0; i < 9; i++) {
          data.put("K" + i, CANARY + "x".repeat(128 * 1024 - CANARY.length()));
        }
      }
      default -> {
        data.put("K".repeat(250), CANARY);
        prefix = "LONG_P";
      }
    }
    secret("many", data);
    PhalaAppSpec spec = spec();
    spec.envFrom = List.of(fromWholeSecret("many", prefix));

    Resolution resolution = EnvResolver.resolve(spec, lookup);

    assertThat(((Resolution.Invalid) resolution).violations())
        .extracting(EnvViolation::rule)
        .containsExactly(rule);
    assertThat(message(resolution)).contains(expected).doesNotContain(CANARY);
  }

  @Test
  void anOverLimitValue_isInvalid_byKeyName() {
    PhalaAppSpec spec = spec();
    spec.env = List.of(literal("BIG", "x".repeat(128 * 1024 + 1)));

    Resolution resolution = EnvResolver.resolve(spec, lookup);

    assertThat(((Resolution.Invalid) resolution).violations())
        .extracting(EnvViolation::rule)
        .containsExactly(EnvViolation.Rule.VALUE_TOO_LONG);
  }

  @Test
  void composeAndPreLaunchScript_comeFromConfigMaps() {
    configMaps.put(
        "app",
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("app")
            .endMetadata()
            .withData(Map.of("compose", "services: {a: {}}", "pre", "#!/bin/sh"))
            .build());
    PhalaAppSpec spec = spec();
    spec.compose.inline = null;
    spec.compose.configMapKeyRef = selector("app", "compose");
    spec.preLaunchScript = new ContentSource();
    spec.preLaunchScript.configMapKeyRef = selector("app", "pre");

    Resolution.Resolved resolved = (Resolution.Resolved) EnvResolver.resolve(spec, lookup);

    assertThat(resolved.compose()).isEqualTo("services: {a: {}}");
    assertThat(resolved.preLaunchScript()).isEqualTo("#!/bin/sh");
  }

  @Test
  void registryAuth_readsADockerConfigJsonSecret() {
    String config =
        "{\"auths\":{\"https://ghcr.io\":{\"auth\":\""
            + Base64.getEncoder().encodeToString("me:pat".getBytes(StandardCharsets.UTF_8))
            + "\"}}}";
    secrets.put(
        "regcred",
        new SecretBuilder()
            .withNewMetadata()
            .withName("regcred")
            .endMetadata()
            .withType("kubernetes.io/dockerconfigjson")
            .withData(
                Map.of(
                    ".dockerconfigjson",
                    Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8))))
            .build());
    PhalaAppSpec spec = spec();
    spec.registryAuth = new RegistryAuth();
    spec.registryAuth.secretName = "regcred";

    Resolution.Resolved resolved = (Resolution.Resolved) EnvResolver.resolve(spec, lookup);

    assertThat(resolved.env().entries())
        .containsExactly(
            new EnvVar("DSTACK_DOCKER_USERNAME", "me"),
            new EnvVar("DSTACK_DOCKER_PASSWORD", "pat"),
            new EnvVar("DSTACK_DOCKER_REGISTRY", "ghcr.io"));
  }

  @Test
  void registryAuth_ofTheWrongSecretType_isRefused() {
    secret("opaque", Map.of(".dockerconfigjson", "{}"));
    PhalaAppSpec spec = spec();
    spec.registryAuth = new RegistryAuth();
    spec.registryAuth.secretName = "opaque";

    assertThat(((Resolution.Missing) EnvResolver.resolve(spec, lookup)).problems())
        .containsExactly("Secret opaque is not of type kubernetes.io/dockerconfigjson");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not JSON | {\"auths\": canary-9d1e-resolver | key .dockerconfigjson is not JSON",
        "two registries | {\"auths\":{\"a.io\":{\"auth\":\"canary-9d1e-resolver\"},\"b.io\":{}}}"
            + " | must hold exactly one registry in .dockerconfigjson",
        "no credentials | {\"auths\":{\"ghcr.io\":{\"email\":\"canary-9d1e-resolver\"}}}"
            + " | has no username and password for its registry"
      })
  void registryAuth_withAnUnusableDockerConfig_isRefused_withoutEchoingIt(
      String label, String config, String expected) {
    secrets.put(
        "regcred",
        new SecretBuilder()
            .withNewMetadata()
            .withName("regcred")
            .endMetadata()
            .withType("kubernetes.io/dockerconfigjson")
            .withData(
                Map.of(
                    ".dockerconfigjson",
                    Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8))))
            .build());
    PhalaAppSpec spec = spec();
    spec.registryAuth = new RegistryAuth();
    spec.registryAuth.secretName = "regcred";

    Resolution resolution = EnvResolver.resolve(spec, lookup);

    assertThat(((Resolution.Missing) resolution).problems())
        .singleElement()
        .asString()
        .startsWith("Secret regcred ")
        .contains(expected)
        .doesNotContain(CANARY);
  }

  @Test
  void awsEcrSshKeysAndRootPassword_becomeTheirDstackVariables() {
    secret("ecr", Map.of("AWS_ACCESS_KEY_ID", "AKIA", "AWS_SECRET_ACCESS_KEY", "sk"));
    secret("ops", Map.of("keys", "ssh-ed25519 AAAA ops", "root", "pw"));
    PhalaAppSpec spec = spec();
    spec.awsEcr = new cloud.phala.operator.crd.AwsEcr();
    spec.awsEcr.secretName = "ecr";
    spec.awsEcr.region = "us-east-1";
    spec.awsEcr.registry = "1.dkr.ecr.us-east-1.amazonaws.com";
    spec.sshAuthorizedKeys = new cloud.phala.operator.crd.SshAuthorizedKeys();
    spec.sshAuthorizedKeys.secretKeyRef = new SecretKeySelector();
    spec.sshAuthorizedKeys.secretKeyRef.name = "ops";
    spec.sshAuthorizedKeys.secretKeyRef.key = "keys";
    spec.rootPasswordSecretRef = new SecretKeySelector();
    spec.rootPasswordSecretRef.name = "ops";
    spec.rootPasswordSecretRef.key = "root";

    Resolution.Resolved resolved = (Resolution.Resolved) EnvResolver.resolve(spec, lookup);

    assertThat(resolved.env().keys())
        .containsExactly(
            "DSTACK_AWS_ACCESS_KEY_ID",
            "DSTACK_AWS_SECRET_ACCESS_KEY",
            "DSTACK_AWS_REGION",
            "DSTACK_AWS_ECR_REGISTRY",
            "DSTACK_AUTHORIZED_KEYS",
            "DSTACK_ROOT_PASSWORD");
    assertThat(resolved.env().get("DSTACK_AWS_REGION")).contains("us-east-1");
    assertThat(resolved.env().get("DSTACK_ROOT_PASSWORD")).contains("pw");
  }

  private static ConfigMapKeySelector selector(String name, String key) {
    ConfigMapKeySelector s = new ConfigMapKeySelector();
    s.name = name;
    s.key = key;
    return s;
  }
}
