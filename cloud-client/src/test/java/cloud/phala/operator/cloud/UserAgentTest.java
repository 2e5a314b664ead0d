package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import cloud.phala.operator.simulator.http.RequestLog;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every request says which client sent it, so Phala Cloud's (and the simulator's) logs can tell.
 */
class UserAgentTest {
  @RegisterExtension static final SimulatorFixture SIM = new SimulatorFixture();

  @Test
  void everyRequest_carriesTheConfiguredUserAgent_andTheSimulatorLogsIt() {
    PhalaCloudConfig config =
        PhalaCloudConfig.of(SIM.simulator().baseUrl(), SIM.simulator().apiKey())
            .withUserAgent("phala-operator/1.2.3 (shard 1/3)");
    new PhalaCloudClient(config, ApiCallObserver.NONE).listCvms(1, 10);
    SIM.client().listCvms(1, 10);

    // the simulator logs an exchange once its answer is on the way, so the second may lag a little
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(SIM.simulator().requestLog().entries())
                    .extracting(RequestLog.Entry::client)
                    .containsExactly("phala-operator/1.2.3 (shard 1/3)", "phala-operator"));
  }

  @Test
  void aUserAgentThatCannotBeOneHeaderLine_isRefused() {
    PhalaCloudConfig config = PhalaCloudConfig.of("http://127.0.0.1:1/api/v1", "k");
    assertThatThrownBy(() -> config.withUserAgent("phala-operator\r\nX-Injected: 1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> config.withUserAgent("")).isInstanceOf(IllegalArgumentException.class);
  }
}
