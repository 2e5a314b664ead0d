package cloud.phala.operator.crypto;

import java.util.Objects;

/**
 * One environment variable. {@link #toString()} never prints the value, so an env var can be
 * logged, put in an exception or compared in a test without leaking it.
 */
public record EnvVar(String key, String value) {
  public EnvVar {
    Objects.requireNonNull(key, "env var key is null");
    Objects.requireNonNull(value, () -> "env var " + key + " has a null value");
  }

  @Override
  public String toString() {
    return key + "=<redacted>";
  }
}
