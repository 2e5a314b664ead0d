package cloud.phala.operator.app.cloud;

import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.crd.PhalaApp;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which Phala Cloud API key an app uses: its own {@code credentialsSecretRef}, read in its own
 * namespace, or the operator-wide default, which only namespaces the operator allows may use. A
 * tenant therefore cannot deploy on the operator owner's account by leaving the field out.
 */
public final class Credentials {
  /** The key, or why there is none (naming Secrets, never values). */
  public record Outcome(Optional<String> apiKey, String problem) {
    static Outcome of(String key) {
      return new Outcome(Optional.of(key), null);
    }

    static Outcome missing(String problem) {
      return new Outcome(Optional.empty(), problem);
    }
  }

  private final OperatorConfig config;
  private final Optional<SharedIndexInformer<Secret>> defaultSecret;

  /**
   * Watches the default credentials Secret (that one Secret only), so a pass reads it from memory
   * and a rotated key is used from the next pass on.
   */
  public Credentials(OperatorConfig config, KubernetesClient kubernetes) {
    this.config = config;
    this.defaultSecret =
        config
            .defaultCredentials()
            .map(
                ref ->
                    kubernetes
                        .secrets()
                        .inNamespace(ref.namespace())
                        .withName(ref.name())
                        .inform());
  }

  /** Stops watching the default credentials Secret. */
  public void close() {
    defaultSecret.ifPresent(SharedIndexInformer::close);
  }

  /** {@code ownSecrets} reads Secrets of the app's namespace only. */
  public Outcome apiKeyFor(PhalaApp app, Function<String, Optional<Secret>> ownSecrets) {
    var ref = app.getSpec().credentialsSecretRef;
    String namespace = app.getMetadata().getNamespace();
    if (ref != null) {
      return ownSecrets
          .apply(ref.name)
          .flatMap(s -> value(s, ref.key))
          .map(Outcome::of)
          .orElseGet(
              () ->
                  Outcome.missing(
                      "credentials Secret " + ref.name + " (key " + ref.key + ") not found"));
    }
    if (!config.defaultCredentialsAllowedIn(namespace)) {
      return Outcome.missing(
          "spec.credentialsSecretRef is not set and the operator's default credentials are not allowed in namespace "
              + namespace);
    }
    OperatorConfig.SecretKeyRef fallback = config.defaultCredentials().orElseThrow();
    Secret secret =
        defaultSecret
            .orElseThrow()
            .getStore()
            .getByKey(fallback.namespace() + "/" + fallback.name());
    return Optional.ofNullable(secret)
        .flatMap(s -> value(s, fallback.key()))
        .map(Outcome::of)
        .orElseGet(() -> Outcome.missing("the operator's default credentials Secret is missing"));
  }

  private static Optional<String> value(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().containsKey(key)) {
      return Optional.of(
          new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8)
              .trim());
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return Optional.of(secret.getStringData().get(key).trim());
    }
    return Optional.empty();
  }
}
