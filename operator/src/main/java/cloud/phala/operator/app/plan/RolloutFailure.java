package cloud.phala.operator.app.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A replica given the rollout's revision that failed to boot, or is still not running it {@code
 * readyTimeout} after it was given it. Either stops the rollout.
 */
public record RolloutFailure(String vmUuid, boolean bootFailed) {

  public static Optional<RolloutFailure> find(
      String revision, Duration readyTimeout, Instant now, List<ObservedCvm> cvms) {
    for (ObservedCvm cvm : cvms) {
      if (!cvm.onRevision(revision) || cvm.serving()) {
        continue;
      }
      if (cvm.bootFailed()) {
        return Optional.of(new RolloutFailure(cvm.vmUuid(), true));
      }
      if (cvm.givenAt() != null && now.isAfter(cvm.givenAt().plus(readyTimeout))) {
        return Optional.of(new RolloutFailure(cvm.vmUuid(), false));
      }
    }
    return Optional.empty();
  }
}
