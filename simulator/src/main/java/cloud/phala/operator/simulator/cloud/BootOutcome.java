package cloud.phala.operator.simulator.cloud;

import cloud.phala.operator.crypto.EnvVar;
import java.util.List;
import java.util.Optional;

/** What the simulated guest ended up with after a boot: an env, or the error that stopped it. */
public record BootOutcome(List<EnvVar> env, Optional<String> error) {
  static BootOutcome booted(List<EnvVar> env) {
    return new BootOutcome(List.copyOf(env), Optional.empty());
  }

  static BootOutcome failed(String error) {
    return new BootOutcome(List.of(), Optional.of(error));
  }

  public boolean succeeded() {
    return error.isEmpty();
  }
}
