package cloud.phala.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatorMainTest {

  @Test
  void flags_setPortKeysTimesAndSeed() {
    SimulatorConfig config =
        SimulatorMain.parse(
            new String[] {
              "--port",
              "0",
              "--api-key",
              "k1",
              "--api-key",
              "k2",
              "--boot-time",
              "250ms",
              "--shutdown-time",
              "1.5s",
              "--seed",
              "7",
              "--host",
              "0.0.0.0"
            });

    assertThat(config.port()).isZero();
    assertThat(config.apiKeys()).containsExactly("k1", "k2");
    assertThat(config.bootTime()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.shutdownTime()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.seed()).isEqualTo(7);
    assertThat(config.host()).isEqualTo("0.0.0.0");
  }

  @Test
  void durations_acceptMillisecondsSecondsMinutesAndIso() {
    assertThat(SimulatorMain.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(SimulatorMain.duration("PT3S")).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void unknownFlagsAndMissingValues_areRefused() {
    assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--nope", "1"}))
        .hasMessageContaining("--nope");
    assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--port"}))
        .hasMessageContaining("needs a value");
  }

  @Test
  void theSameSeed_givesTheSameKmsRootKey_anotherSeedAnother() {
    try (PhalaSimulator a = PhalaSimulator.start(SimulatorConfig.defaults().withSeed(5));
        PhalaSimulator b = PhalaSimulator.start(SimulatorConfig.defaults().withSeed(5));
        PhalaSimulator c = PhalaSimulator.start(SimulatorConfig.defaults().withSeed(6))) {
      assertThat(a.world().kms().rootKey()).isEqualTo(b.world().kms().rootKey());
      assertThat(a.world().kms().rootKey()).isNotEqualTo(c.world().kms().rootKey());
      assertThat(a.port()).isNotEqualTo(b.port());
    }
  }
}
