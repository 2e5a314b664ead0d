package cloud.phala.operator.crypto;

import static cloud.phala.operator.crypto.EnvViolation.Rule.KEY_INVALID;
import static cloud.phala.operator.crypto.EnvViolation.Rule.KEY_TOO_LONG;
import static cloud.phala.operator.crypto.EnvViolation.Rule.SET_TOO_LARGE;
import static cloud.phala.operator.crypto.EnvViolation.Rule.TOO_MANY_VARS;
import static cloud.phala.operator.crypto.EnvViolation.Rule.VALUE_NOT_UNICODE;
import static cloud.phala.operator.crypto.EnvViolation.Rule.VALUE_TOO_LONG;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A complete, validated set of env vars, as the guest will see it.
 *
 * <p>Ordered by first appearance; when a key appears twice the later value wins but keeps the first
 * position, as the official CLI's de-duplication does. Building one checks every rule of {@link
 * EnvLimits} and reports all violations together. {@link #toString()} lists key names only.
 */
public final class EnvSet {
  private static final EnvSet EMPTY = new EnvSet(Map.of(), 0);

  private final Map<String, String> vars;
  private final long totalBytes;

  private EnvSet(Map<String, String> vars, long totalBytes) {
    this.vars = vars;
    this.totalBytes = totalBytes;
  }

  public static EnvSet empty() {
    return EMPTY;
  }

  /** Builds a set from entries in order; later duplicates win. */
  public static EnvSet of(List<EnvVar> entries) {
    Builder builder = builder();
    entries.forEach(e -> builder.put(e.key(), e.value()));
    return builder.build();
  }

  /** Builds a set from a map in its iteration order. */
  public static EnvSet of(Map<String, String> entries) {
    Builder builder = builder();
    entries.forEach(builder::put);
    return builder.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public int size() {
    return vars.size();
  }

  public boolean isEmpty() {
    return vars.isEmpty();
  }

  /** Key names in order. */
  public List<String> keys() {
    return List.copyOf(vars.keySet());
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(vars.get(key));
  }

  public List<EnvVar> entries() {
    List<EnvVar> out = new ArrayList<>(vars.size());
    vars.forEach((k, v) -> out.add(new EnvVar(k, v)));
    return out;
  }

  /** UTF-8 bytes of every key plus every value: the quantity the guest's 1 MiB limit counts. */
  public long totalBytes() {
    return totalBytes;
  }

  /** Equal when the same keys map to the same values in the same order. */
  @Override
  public boolean equals(Object o) {
    return o instanceof EnvSet other && entryList().equals(other.entryList());
  }

  private List<Map.Entry<String, String>> entryList() {
    return List.copyOf(vars.entrySet());
  }

  @Override
  public int hashCode() {
    return vars.hashCode();
  }

  @Override
  public String toString() {
    return "EnvSet" + vars.keySet();
  }

  /** Collects entries; {@link #build()} validates them all at once. */
  public static final class Builder {
    private final LinkedHashMap<String, String> vars = new LinkedHashMap<>();

    private Builder() {}

    public Builder put(String key, String value) {
      EnvVar checked = new EnvVar(key, value);
      vars.put(checked.key(), checked.value());
      return this;
    }

    public EnvSet build() {
      List<EnvViolation> violations = new ArrayList<>();
      if (vars.size() > EnvLimits.MAX_VARS) {
        violations.add(
            EnvViolation.ofSet(
                TOO_MANY_VARS,
                "the set has " + vars.size() + " vars, the limit is " + EnvLimits.MAX_VARS));
      }
      long total = 0;
      for (Map.Entry<String, String> e : vars.entrySet()) {
        total += checkVar(e.getKey(), e.getValue(), violations);
      }
      if (total > EnvLimits.MAX_TOTAL_BYTES) {
        violations.add(
            EnvViolation.ofSet(
                SET_TOO_LARGE,
                "keys and values total "
                    + total
                    + " bytes, the limit is "
                    + EnvLimits.MAX_TOTAL_BYTES));
      }
      if (!violations.isEmpty()) {
        throw new EnvValidationException(violations);
      }
      return new EnvSet(Collections.unmodifiableMap(new LinkedHashMap<>(vars)), total);
    }

    /** Checks one var and returns its byte size. */
    private static long checkVar(String key, String value, List<EnvViolation> violations) {
      int keyBytes = key.getBytes(StandardCharsets.UTF_8).length;
      if (keyBytes > EnvLimits.MAX_KEY_BYTES) {
        violations.add(
            EnvViolation.ofKey(
                key,
                KEY_TOO_LONG,
                "key is " + keyBytes + " bytes, the limit is " + EnvLimits.MAX_KEY_BYTES));
      }
      if (!EnvLimits.KEY_PATTERN.matcher(key).matches()) {
        violations.add(
            EnvViolation.ofKey(
                key, KEY_INVALID, "key must match " + EnvLimits.KEY_PATTERN.pattern()));
      }
      if (!isWellFormedUnicode(value)) {
        violations.add(
            EnvViolation.ofKey(
                key,
                VALUE_NOT_UNICODE,
                "value contains an unpaired surrogate, which the guest cannot decode"));
      }
      int valueBytes = Utf8.length(value);
      if (valueBytes > EnvLimits.MAX_VALUE_BYTES) {
        violations.add(
            EnvViolation.ofKey(
                key,
                VALUE_TOO_LONG,
                "value is " + valueBytes + " bytes, the limit is " + EnvLimits.MAX_VALUE_BYTES));
      }
      return (long) keyBytes + valueBytes;
    }

    private static boolean isWellFormedUnicode(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
          if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
            return false;
          }
          i++;
        } else if (Character.isLowSurrogate(c)) {
          return false;
        }
      }
      return true;
    }
  }
}
