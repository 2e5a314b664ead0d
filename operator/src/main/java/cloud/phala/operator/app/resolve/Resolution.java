package cloud.phala.operator.app.resolve;

import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.crypto.EnvViolation;
import java.util.List;

/**
 * The outcome of resolving a PhalaApp's sources: everything it needs, or exactly what is missing or
 * invalid. Never a partial env.
 */
public sealed interface Resolution {
  /** Every source was found and the env passes the guest's rules. */
  record Resolved(EnvSet env, String compose, String preLaunchScript) implements Resolution {}

  /** Sources that do not exist or are not usable, each described by name (never by value). */
  record Missing(List<String> problems) implements Resolution {}

  /** Everything was found, but the env breaks the guest's rules. */
  record Invalid(List<EnvViolation> violations) implements Resolution {}
}
