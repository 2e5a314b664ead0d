package cloud.phala.operator.app.sync;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.app.cloud.SharedCvmListing;
import cloud.phala.operator.app.cloud.ShiftingCloud;
import cloud.phala.operator.app.plan.RolloutSettings;
import cloud.phala.operator.app.status.ConditionType;
import cloud.phala.operator.app.sync.decide.Desired;
import cloud.phala.operator.app.sync.decide.EnvPayload;
import cloud.phala.operator.cloud.Cvm;
import cloud.phala.operator.crd.PhalaApp;
import cloud.phala.operator.crd.PhalaAppSpec;
import cloud.phala.operator.crd.PhalaAppStatus;
import cloud.phala.operator.crypto.EnvSet;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An app at rest is observed through the account's shared listing, read 100 CVMs a page while the
 * account changes. A CVM the listing misses or shows twice must not reach the planner as a missing
 * or extra replica, nor make the app look gone.
 */
class CvmObservationTest {
  private static final String APP = "app-a";
  private static final String REVISION = "rev-1";
  private final ShiftingCloud cloud = ShiftingCloud.start();
  private final List<ShiftingCloud.Item> fillers = new ArrayList<>();

  @AfterEach
  void stop() {
    cloud.close();
  }

  @Test
  void anAppThatAShiftHidesFromTheListing_isStillObserved_notTakenForGone() {
    fillers(100);
    ShiftingCloud.Item mine = cloud.add(APP); // the first of page 2
    cloud.afterPage(1, () -> cloud.remove(fillers.get(0)));

    assertThat(observeAtRest(mine)).extracting(Cvm::vmUuid).containsExactly(mine.vmUuid());
  }

  @Test
  void aReplicaThatAShiftHidesFromTheListing_isStillObserved_notTakenForMissing() {
    fillers(99);
    ShiftingCloud.Item first = cloud.add(APP); // the last of page 1
    ShiftingCloud.Item second = cloud.add(APP); // the first of page 2
    cloud.afterPage(1, () -> cloud.remove(fillers.get(0)));

    assertThat(observeAtRest(first, second))
        .extracting(Cvm::vmUuid)
        .containsExactlyInAnyOrder(first.vmUuid(), second.vmUuid());
  }

  @Test
  void aReplicaThatAShiftListsTwice_isObservedOnce_notTakenForAnExtraOne() {
    fillers(99);
    ShiftingCloud.Item mine = cloud.add(APP); // the last of page 1
    fillers(1);
    // newest first: a CVM created after page 1 was read pushes the last of page 1 onto page 2
    cloud.afterPage(1, () -> cloud.addFirst("filler"));

    assertThat(observeAtRest(mine)).extracting(Cvm::vmUuid).containsExactly(mine.vmUuid());
  }

  private void fillers(int count) {
    for (int i = 0; i < count; i++) {
      fillers.add(cloud.add("filler"));
    }
  }

  /** One observation of an app whose status says it is at rest with exactly these CVMs. */
  private List<Cvm> observeAtRest(ShiftingCloud.Item... recorded) {
    PhalaApp app = atRest(recorded);
    Desired desired =
        new Desired(
            new EnvPayload.Fresh(EnvSet.empty()),
            "services: {}",
            null,
            REVISION,
            "compose-1",
            recorded.length,
            RolloutSettings.from(null, recorded.length));
    CvmObservation observation =
        new CvmObservation(new SharedCvmListing(Clock.systemUTC(), Duration.ofMinutes(1)));
    return observation.of(cloud.client(), APP, app.getStatus(), desired);
  }

  private static PhalaApp atRest(ShiftingCloud.Item... recorded) {
    PhalaApp app = new PhalaApp();
    app.getMetadata().setName("app");
    app.getMetadata().setNamespace("ns");
    app.setSpec(new PhalaAppSpec());
    app.getSpec().replicas = recorded.length;
    PhalaAppStatus status = new PhalaAppStatus();
    status.appId = APP;
    status.envRevision = REVISION;
    status.replicas = recorded.length;
    status.cvms =
        Arrays.stream(recorded)
            .map(
                item -> {
                  PhalaAppStatus.CvmStatus cvm = new PhalaAppStatus.CvmStatus();
                  cvm.cvmId = item.vmUuid();
                  cvm.phase = "running";
                  cvm.envRevision = REVISION;
                  return cvm;
                })
            .toList();
    Condition settled = new Condition();
    settled.setType(ConditionType.PROGRESSING.wire());
    settled.setStatus("False");
    settled.setReason("Converged");
    settled.setLastTransitionTime(Instant.now().minusSeconds(60).toString());
    status.conditions = List.of(settled);
    app.setStatus(status);
    return app;
  }
}
