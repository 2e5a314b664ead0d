package cloud.phala.operator.app.resolve;

import cloud.phala.operator.app.config.OperatorConfig;
import cloud.phala.operator.crd.PhalaApp;
import java.util.Map;
import java.util.Optional;

/**
 * The Secrets the operator keeps for itself, which no PhalaApp may reference: those labelled as the
 * operator's (its revision key, its copies of API keys) and its default credentials. Otherwise an
 * app in the operator's namespace (watched in cluster-wide mode) could read them into its env.
 */
public final class OperatorSecrets {
  /** The label the operator puts on the Secrets and ConfigMaps it keeps for itself. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  public static final String OPERATOR = "phala-operator";

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
                        .filter(s -> isOperators(s.getMetadata().getLabels()))
                        .isPresent())
        .findFirst();
  }

  /** Whether {@code labels} mark an object as one the operator keeps for itself. */
  public static boolean isOperators(Map<String, String> labels) {
    return labels != null && OPERATOR.equals(labels.get(MANAGED_BY));
  }

  public static String message(String secret) {
    return "Secret "
        + secret
        + " is one the operator keeps for itself (its revision key, its copies of API keys or the"
        + " default credentials): a PhalaApp cannot reference it; nothing is deployed";
  }
}
