package cloud.phala.operator.app.resolve;

import cloud.phala.operator.crd.PhalaAppSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The typed helpers for Phala Cloud's built-in pre-launch script (protocol section 5): private
 * registry login, AWS ECR login, SSH keys and the root password, each as its DSTACK_* variables.
 */
final class BuiltInHelpers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BuiltInHelpers() {}

  static void addTo(Map<String, String> env, PhalaAppSpec spec, SourceReader reader) {
    if (spec.registryAuth != null) {
      registry(env, spec.registryAuth.secretName, reader);
    }
    if (spec.awsEcr != null) {
      String name = spec.awsEcr.secretName;
      reader
          .secretKey(name, "AWS_ACCESS_KEY_ID", false)
          .ifPresent(v -> env.put("DSTACK_AWS_ACCESS_KEY_ID", v));
      reader
          .secretKey(name, "AWS_SECRET_ACCESS_KEY", false)
          .ifPresent(v -> env.put("DSTACK_AWS_SECRET_ACCESS_KEY", v));
      reader
          .secretKey(name, "AWS_SESSION_TOKEN", true)
          .ifPresent(v -> env.put("DSTACK_AWS_SESSION_TOKEN", v));
      env.put("DSTACK_AWS_REGION", spec.awsEcr.region);
      env.put("DSTACK_AWS_ECR_REGISTRY", spec.awsEcr.registry);
    }
    if (spec.sshAuthorizedKeys != null) {
      var ref = spec.sshAuthorizedKeys.secretKeyRef;
      reader
          .secretKey(ref.name, ref.key, Boolean.TRUE.equals(ref.optional))
          .ifPresent(v -> env.put("DSTACK_AUTHORIZED_KEYS", v));
    }
    if (spec.rootPasswordSecretRef != null) {
      var ref = spec.rootPasswordSecretRef;
      reader
          .secretKey(ref.name, ref.key, Boolean.TRUE.equals(ref.optional))
          .ifPresent(v -> env.put("DSTACK_ROOT_PASSWORD", v));
    }
  }

  /** A kubernetes.io/dockerconfigjson Secret with exactly one registry. */
  private static void registry(Map<String, String> env, String secretName, SourceReader reader) {
    Optional<Secret> secret = reader.rawSecret(secretName);
    if (secret.isEmpty()) {
      return;
    }
    if (!"kubernetes.io/dockerconfigjson".equals(secret.get().getType())) {
      reader.problem("Secret " + secretName + " is not of type kubernetes.io/dockerconfigjson");
      return;
    }
    Optional<String> config = reader.secretKey(secretName, ".dockerconfigjson", false);
    if (config.isEmpty()) {
      return;
    }
    JsonNode auths;
    try {
      auths = JSON.readTree(config.get()).path("auths");
    } catch (IOException e) {
      reader.problem("Secret " + secretName + " key .dockerconfigjson is not JSON");
      return;
    }
    if (!auths.isObject() || auths.size() != 1) {
      reader.problem(
          "Secret " + secretName + " must hold exactly one registry in .dockerconfigjson");
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> it = auths.fields();
    Map.Entry<String, JsonNode> entry = it.next();
    String username = entry.getValue().path("username").asText("");
    String password = entry.getValue().path("password").asText("");
    if (username.isEmpty() && entry.getValue().hasNonNull("auth")) {
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(entry.getValue().get("auth").asText()),
                StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        decoded = "";
      }
      int colon = decoded.indexOf(':');
      if (colon > 0) {
        username = decoded.substring(0, colon);
        password = decoded.substring(colon + 1);
      }
    }
    if (username.isEmpty() || password.isEmpty()) {
      reader.problem("Secret " + secretName + " has no username and password for its registry");
      return;
    }
    env.put("DSTACK_DOCKER_USERNAME", username);
    env.put("DSTACK_DOCKER_PASSWORD", password);
    env.put("DSTACK_DOCKER_REGISTRY", host(entry.getKey()));
  }

  private static String host(String registry) {
    String host = registry.replaceFirst("^https?://", "");
    int slash = host.indexOf('/');
    return slash < 0 ? host : host.substring(0, slash);
  }
}
