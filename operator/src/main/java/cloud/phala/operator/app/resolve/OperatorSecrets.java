package cloud.phala.operator.app.resolve;

import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.crd.PhalaApp;
import java.util.Optional;

/**
 * The Secrets the operator keeps for itself, which no PhalaApp may reference: those labelled as the
 * operator's (its revision key, its copies of API keys) and its default credentials. Otherwise an
 * app in the operator's namespace (watched in cluster-wide mode) could read them into its env.
 */
public final class OperatorSecrets {
  public static final String REASON = "OperatorSecret";

  private OperatorSecrets() {}

  /** The first such Secret the app references, by name. */
  public static Optional<String> referencedBy(
      PhalaApp app, SourceLookup lookup, Optional<OperatorConfig.SecretKeyRef> defaults) {
    String namespace = app.getMetadata().getNamespace();
    return References.secrets(app.getSpec()).stream()
        .sorted()
        .filter(
            name ->
                defaults
                        .filter(d -> d.namespace().equals(namespace) && d.name().equals(name))
                        .isPresent()
                    || lookup
                        .secret(name)
                        .map(s -> s.getMetadata().getLabels())
                        .filter(l -> "phala-operator".equals(l.get("app.kubernetes.io/managed-by")))
                        .isPresent())
        .findFirst();
  }

  public static String message(String secret) {
    return "Secret "
        + secret
        + " is one the operator keeps for itself (its revision key, its copies of API keys or the"
        + " default credentials): a PhalaApp cannot reference it; nothing is deployed";
  }
}
