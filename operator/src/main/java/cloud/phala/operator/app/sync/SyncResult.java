package cloud.phala.operator.app.sync;

import cloud.phala.operator.crd.PhalaAppStatus;
import java.time.Duration;
import java.util.Optional;

/**
 * The status a pass arrived at, whether the app is still converging, and how soon a pass is due for
 * a reason no event brings (a batchWindow wait ending; empty: none).
 */
public record SyncResult(PhalaAppStatus status, boolean converging, Optional<Duration> wakeIn) {
  public SyncResult(PhalaAppStatus status, boolean converging) {
    this(status, converging, Optional.empty());
  }

  /** When the next pass is due, given how often a converging and an app at rest are looked at. */
  public Duration next(Duration progressPoll, Duration steadyPoll) {
    Duration poll = converging ? progressPoll : steadyPoll;
    return wakeIn
        .map(d -> d.compareTo(poll) < 0 ? (d.compareTo(progressPoll) < 0 ? progressPoll : d) : poll)
        .orElse(poll);
  }
}
