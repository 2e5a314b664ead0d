package cloud.phala.operator.app.resolve;

import cloud.phala.operator.crd.ContentSource;
import cloud.phala.operator.crd.EnvFromSource;
import cloud.phala.operator.crd.EnvVarSource;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.crypto.EnvValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a PhalaApp's sources into one complete env set, compose file and pre-launch script. Pure:
 * it reads only through {@link SourceLookup}, so it is tested without a cluster.
 *
 * <p>Order, later winning on a duplicate name (the name keeps its first position): {@code envFrom}
 * in order, then the typed helpers ({@code registryAuth}, {@code awsEcr}, {@code
 * sshAuthorizedKeys}, {@code rootPasswordSecretRef}), then {@code env} in order. Any missing
 * non-optional source makes the whole resolution {@link Resolution.Missing}.
 */
public final class EnvResolver {
  private EnvResolver() {}

  public static Resolution resolve(PhalaAppSpec spec, SourceLookup lookup) {
    List<String> problems = new ArrayList<>();
    SourceReader reader = new SourceReader(lookup, problems);
    Map<String, String> env = new LinkedHashMap<>();
    if (spec.envFrom != null) {
      for (EnvFromSource from : spec.envFrom) {
        addAll(env, from, reader);
      }
    }
    BuiltInHelpers.addTo(env, spec, reader);
    if (spec.env != null) {
      for (EnvVarSource var : spec.env) {
        value(var, reader).ifPresent(v -> env.put(var.name, v));
      }
    }
    Optional<String> compose = content(spec.compose, "compose", reader);
    Optional<String> preLaunch =
        spec.preLaunchScript == null
            ? Optional.empty()
            : content(spec.preLaunchScript, "preLaunchScript", reader);
    if (!problems.isEmpty()) {
      return new Resolution.Missing(List.copyOf(problems));
    }
    try {
      return new Resolution.Resolved(EnvSet.of(env), compose.orElse(""), preLaunch.orElse(null));
    } catch (EnvValidationException e) {
      return new Resolution.Invalid(e.violations());
    }
  }

  private static void addAll(Map<String, String> env, EnvFromSource from, SourceReader reader) {
    String prefix = from.prefix == null ? "" : from.prefix;
    Optional<Map<String, String>> entries =
        from.secretRef != null
            ? reader.secret(from.secretRef.name, Boolean.TRUE.equals(from.secretRef.optional))
            : reader.configMap(
                from.configMapRef.name, Boolean.TRUE.equals(from.configMapRef.optional));
    entries.ifPresent(
        map ->
            map.forEach(
                (k, v) -> {
                  if (v != null) {
                    env.put(prefix + k, v);
                  }
                }));
  }

  private static Optional<String> value(EnvVarSource var, SourceReader reader) {
    if (var.valueFrom == null) {
      return Optional.of(var.value == null ? "" : var.value);
    }
    if (var.valueFrom.secretKeyRef != null) {
      var ref = var.valueFrom.secretKeyRef;
      return reader.secretKey(ref.name, ref.key, Boolean.TRUE.equals(ref.optional));
    }
    var ref = var.valueFrom.configMapKeyRef;
    return reader.configMapKey(ref.name, ref.key, Boolean.TRUE.equals(ref.optional));
  }

  private static Optional<String> content(ContentSource source, String field, SourceReader reader) {
    if (source == null) {
      reader.problem(field + " is not set");
      return Optional.empty();
    }
    if (source.inline != null) {
      return Optional.of(source.inline);
    }
    var ref = source.configMapKeyRef;
    return reader.configMapKey(ref.name, ref.key, false);
  }
}
