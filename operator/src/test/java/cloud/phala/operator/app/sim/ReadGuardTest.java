package cloud.phala.operator.app.sim;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloud.phala.operator.app.sync.PassHook;
import org.junit.jupiter.api.Test;

class ReadGuardTest {
  @Test
  void aReadBeforeObserveIsDone_passes_andOneAfter_failsTheHistory() {
    ReadGuard guard = new ReadGuard(PassHook.NONE);
    guard.passBegins();

    assertThatCode(() -> guard.request("GET", "/apps/a/cvms")).doesNotThrowAnyException();
    guard.at(PassHook.Point.OBSERVED, null, null);
    assertThatCode(() -> guard.request("PATCH", "/cvms/c/envs")).doesNotThrowAnyException();
    assertThatThrownBy(() -> guard.request("GET", "/cvms/c/state"))
        .isInstanceOf(Violation.class)
        .hasMessageContaining("after its observe phase");

    guard.passBegins();
    assertThatCode(() -> guard.request("GET", "/cvms/c/state")).doesNotThrowAnyException();
  }
}
