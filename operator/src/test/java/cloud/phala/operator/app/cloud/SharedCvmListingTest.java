package cloud.phala.operator.app.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.cloud.Cvm;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
}
