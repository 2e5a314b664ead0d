package cloud.phala.operator.app.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.cloud.PhalaCloudClient;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared listing is read a page at a time, while the account's CVMs change. */
class SharedCvmListingTest {
  private final ShiftingCloud cloud = ShiftingCloud.start();

  @AfterEach
  void stop() {
    cloud.close();
  }

  @Test
  void aCvmThatAShiftListsOnTwoPages_isInTheSnapshotOnce() {
    for (int i = 0; i < 99; i++) {
      cloud.add("filler");
    }
    ShiftingCloud.Item mine = cloud.add("app-a"); // the last of page 1
    cloud.add("filler");
    // newest first: a CVM created after page 1 was read pushes the last of page 1 onto page 2
    cloud.afterPage(1, () -> cloud.addFirst("filler"));

    var listed =
        new SharedCvmListing(Clock.systemUTC(), Duration.ofMinutes(1))
            .cvmsOf(cloud.client(), "app-a", Instant.EPOCH);

    assertThat(listed).extracting(Cvm::vmUuid).containsExactly(mine.vmUuid());
  }

  @Test
  void aListingOlderThanMaxAge_isDropped_soAClientNoLongerUsedIsNotKeptForever() {
    MovingClock clock = new MovingClock();
    SharedCvmListing listing = new SharedCvmListing(clock, Duration.ofMinutes(1));
    cloud.add("app-a");
    PhalaCloudClient rotatedAway = cloud.client();
    listing.cvmsOf(rotatedAway, "app-a", Instant.EPOCH);
    WeakReference<PhalaCloudClient> kept = new WeakReference<>(rotatedAway);
    rotatedAway = null;

    clock.now = clock.now.plus(Duration.ofMinutes(2));
    listing.cvmsOf(cloud.client(), "app-a", Instant.EPOCH);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              System.gc();
              return kept.get() == null;
            });
  }

  /** A clock the test moves. */
  private static final class MovingClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
