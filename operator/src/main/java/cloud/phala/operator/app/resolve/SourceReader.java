package cloud.phala.operator.app.resolve;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads keys out of Secrets and ConfigMaps, collecting a problem (by name, never by value) for each
 * one that is missing or not text, unless it is optional.
 */
final class SourceReader {
  private final SourceLookup lookup;
  private final List<String> problems;

  SourceReader(SourceLookup lookup, List<String> problems) {
    this.lookup = lookup;
    this.problems = problems;
  }

  Optional<String> secretKey(String name, String key, boolean optional) {
    Optional<Secret> secret = lookup.secret(name);
    if (secret.isEmpty()) {
      return missing(optional, "Secret " + name + " not found");
    }
    Map<String, String> data = secretData(secret.get(), name);
    if (!data.containsKey(key)) {
      return missing(optional, "Secret " + name + " has no key " + key);
    }
    return Optional.ofNullable(data.get(key));
  }

  Optional<String> configMapKey(String name, String key, boolean optional) {
    Optional<ConfigMap> configMap = lookup.configMap(name);
    if (configMap.isEmpty()) {
      return missing(optional, "ConfigMap " + name + " not found");
    }
    Map<String, String> data = configMap.get().getData();
    if (data == null || !data.containsKey(key)) {
      return missing(optional, "ConfigMap " + name + " has no key " + key);
    }
    return Optional.of(data.get(key));
  }

  /** Every key of a Secret, decoded; null values mark keys that are not UTF-8 text. */
  Optional<Map<String, String>> secret(String name, boolean optional) {
    Optional<Secret> secret = lookup.secret(name);
    if (secret.isEmpty()) {
      return missing(optional, "Secret " + name + " not found");
    }
    return Optional.of(secretData(secret.get(), name));
  }

  Optional<Map<String, String>> configMap(String name, boolean optional) {
    Optional<ConfigMap> configMap = lookup.configMap(name);
    if (configMap.isEmpty()) {
      return missing(optional, "ConfigMap " + name + " not found");
    }
    Map<String, String> data = configMap.get().getData();
    return Optional.of(data == null ? Map.of() : data);
  }

  Optional<Secret> rawSecret(String name) {
    Optional<Secret> secret = lookup.secret(name);
    if (secret.isEmpty()) {
      problems.add("Secret " + name + " not found");
    }
    return secret;
  }

  void problem(String description) {
    problems.add(description);
  }

  private Map<String, String> secretData(Secret secret, String name) {
    Map<String, String> out = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((key, base64) -> out.put(key, decode(name, key, base64)));
    }
    if (secret.getStringData() != null) {
      out.putAll(secret.getStringData());
    }
    return out;
  }

  private String decode(String secretName, String key, String base64) {
    try {
      byte[] bytes = Base64.getDecoder().decode(base64 == null ? "" : base64);
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (IllegalArgumentException | CharacterCodingException e) {
      problems.add("Secret " + secretName + " key " + key + " is not UTF-8 text");
      return null;
    }
  }

  private <T> Optional<T> missing(boolean optional, String problem) {
    if (!optional) {
      problems.add(problem);
    }
    return Optional.empty();
  }
}
