package cloud.phala.operator.app.cloud;

import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.cloud.PhalaCloudConfig;
import cloud.phala.operator.crd.PhalaApp;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Which Phala Cloud API key an app uses: its own {@code credentialsSecretRef}, read in its own
 * namespace, or the operator-wide default, which only namespaces the operator allows may use. A
 * tenant therefore cannot deploy on the operator owner's account by leaving the field out. A key is
 * checked as it is read: one no HTTP header can carry (a line break, a control character) is a
 * problem naming its Secret and key, never its value.
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

    @Override
    public String toString() {
      return apiKey.isPresent() ? "Outcome[an API key]" : "Outcome[" + problem + "]";
    }
  }

  private final OperatorConfig config;
  private final Supplier<Optional<Secret>> defaultSecret;
  private final Runnable stopWatching;

  /**
   * Watches the default credentials Secret (that one Secret only), so a pass reads it from memory
   * and a rotated key is used from the next pass on.
   */
  public Credentials(OperatorConfig config, KubernetesClient kubernetes) {
    this(
        config,
        config
            .defaultCredentials()
            .map(
                ref ->
                    kubernetes
                        .secrets()
                        .inNamespace(ref.namespace())
                        .withName(ref.name())
                        .inform()));
  }

  private Credentials(OperatorConfig config, Optional<SharedIndexInformer<Secret>> watch) {
    this(
        config,
        () ->
            watch.flatMap(
                w ->
                    config
                        .defaultCredentials()
                        .map(ref -> w.getStore().getByKey(ref.namespace() + "/" + ref.name()))),
        () -> watch.ifPresent(SharedIndexInformer::close));
  }

  /**
   * {@code defaultSecret}: the operator's default credentials Secret as it is now (read from
   * memory, e.g. an informer's store); {@code stopWatching}: what {@link #close()} does.
   */
  public Credentials(
      OperatorConfig config, Supplier<Optional<Secret>> defaultSecret, Runnable stopWatching) {
    this.config = config;
    this.defaultSecret = defaultSecret;
    this.stopWatching = stopWatching;
  }

  /** Stops watching the default credentials Secret. */
  public void close() {
    stopWatching.run();
  }

  /** {@code ownSecrets} reads Secrets of the app's namespace only. */
  public Outcome apiKeyFor(PhalaApp app, Function<String, Optional<Secret>> ownSecrets) {
    var ref = app.getSpec().credentialsSecretRef;
    String namespace = app.getMetadata().getNamespace();
    if (ref != null) {
      return ownSecrets
          .apply(ref.name)
          .flatMap(s -> value(s, ref.key))
          .map(key -> usable(key, "credentials Secret " + ref.name + " (key " + ref.key + ")"))
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
    return defaultSecret
        .get()
        .flatMap(s -> value(s, fallback.key()))
        .map(
            key ->
                usable(
                    key,
                    "the operator's default credentials Secret "
                        + fallback.namespace()
                        + "/"
                        + fallback.name()
                        + " (key "
                        + fallback.key()
                        + ")"))
        .orElseGet(() -> Outcome.missing("the operator's default credentials Secret is missing"));
  }

  /** The key, or a problem naming {@code where} it was read and what is wrong with it. */
  private static Outcome usable(String key, String where) {
    return PhalaCloudConfig.apiKeyProblem(key)
        .map(problem -> Outcome.missing(where + " does not hold a usable API key: it " + problem))
        .orElseGet(() -> Outcome.of(key));
  }

  private static Optional<String> value(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().containsKey(key)) {
      return Optional.of(
          new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8)
              .strip());
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return Optional.of(secret.getStringData().get(key).strip());
    }
    return Optional.empty();
  }
}
