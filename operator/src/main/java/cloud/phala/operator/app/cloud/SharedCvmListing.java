package cloud.phala.operator.app.cloud;

import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.CvmPage;
import cloud.phala.operator.cloud.PhalaCloudClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * In steady state every app is looked at every poll interval; instead of one {@code GET
 * /apps/{id}/cvms} per app, one paginated listing (100 per page) per account serves all of them
 * until it is {@code maxAge} old. Apps that are changing read their CVMs directly.
 *
 * <p>The pages are read one after another, by offset, while the account's CVMs come and go: a CVM
 * deleted before a page is read moves the first CVM of that page onto one already read, so the
 * listing misses it; one created at the head moves the last CVM of a page read onto the next, so
 * the listing shows it twice. Duplicates are dropped here; a missing CVM cannot be noticed here, so
 * a listing never proves a CVM absent (see {@code CvmObservation}).
 *
 * <p>A listing older than {@code maxAge} is dropped at the next look, so the clients of keys no
 * longer used (rotated, or their tenant gone) are not kept: at most one listing per account used
 * within {@code maxAge}.
 */
public final class SharedCvmListing {
  private record Snapshot(Instant takenAt, Map<String, List<Cvm>> byApp) {}

  private final Clock clock;
  private final Duration maxAge;
  private final Map<PhalaCloudClient, Snapshot> snapshots = new IdentityHashMap<>();

  public SharedCvmListing(Clock clock, Duration maxAge) {
    this.clock = clock;
    this.maxAge = maxAge;
  }

  /**
   * The app's CVMs from a listing at most {@code maxAge} old and taken after {@code notBefore} (the
   * app's last change, so a listing never shows it older than its status already does).
   */
  public synchronized List<Cvm> cvmsOf(PhalaCloudClient client, String appId, Instant notBefore) {
    Instant now = clock.instant();
    snapshots.values().removeIf(s -> s.takenAt().plus(maxAge).isBefore(now));
    Snapshot snapshot = snapshots.get(client);
    if (snapshot == null || snapshot.takenAt().isBefore(notBefore)) {
      snapshot = take(client);
      snapshots.put(client, snapshot);
    }
    return snapshot.byApp().getOrDefault(appId, List.of());
  }

  private Snapshot take(PhalaCloudClient client) {
    Instant now = clock.instant();
    Map<String, Cvm> byVmUuid = new LinkedHashMap<>();
    for (int page = 1; ; page++) {
      CvmPage result = client.listCvms(page, 100);
      result.items().forEach(c -> byVmUuid.putIfAbsent(c.vmUuid(), c));
      if (page >= result.pages() || result.items().isEmpty()) {
        break;
      }
    }
    Map<String, List<Cvm>> byApp = new HashMap<>();
    byVmUuid.values().forEach(c -> byApp.computeIfAbsent(c.appId(), k -> new ArrayList<>()).add(c));
    return new Snapshot(now, byApp);
  }
}
