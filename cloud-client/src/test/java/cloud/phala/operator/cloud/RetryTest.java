package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cloud.phala.operator.crypto.EnvPublicKey;
import cloud.phala.operator.crypto.EnvSealer;
import cloud.phala.operator.crypto.EnvSet;
import cloud.phala.operator.simulator.hooks.FaultRule;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Which answers the client retries, how long it waits, and what it never resends. */
class RetryTest {
  @RegisterExtension static final SimulatorFixture SIM = new SimulatorFixture();

  private final List<Integer> statuses = new CopyOnWriteArrayList<>();
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private final PhalaCloudClient client =
      SIM.client(RetryPolicy.defaults(), (op, status, took) -> statuses.add(status), waits::add);

  private void fault(FaultRule.Kind kind, String pathRegex, int status, int count, Duration delay) {
    SIM.simulator()
        .faults()
        .add(
            new FaultRule(
                null,
                kind,
                null,
                pathRegex == null ? null : Pattern.compile(pathRegex),
                null,
                1.0,
                count,
                status,
                delay));
  }

  @Test
  void a503_isRetriedWithBackoffUntilItSucceeds() {
    fault(FaultRule.Kind.ERROR, "/api/v1/cvms/paginated", 503, 2, Duration.ZERO);

    CvmPage page = client.listCvms(1, 10);

    assertThat(page.total()).isZero();
    assertThat(statuses).containsExactly(503, 503, 200);
    assertThat(waits)
        .hasSize(2)
        .allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(Duration.ofSeconds(20)));
  }

  @Test
  void a429_waitsWhatRetryAfterSays() {
    fault(FaultRule.Kind.RATE_LIMIT, null, 429, 1, Duration.ofSeconds(3));

    client.listCvms(1, 10);

    assertThat(statuses).containsExactly(429, 200);
    assertThat(waits).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void aBusy409_isRetried_evenForAChange() {
    Cvm cvm = deploy();
    fault(FaultRule.Kind.BUSY, ".*/envs", 409, 2, Duration.ZERO);
    statuses.clear();

    client.updateEnvs(cvm.vmUuid(), sealed(cvm), List.of("A"));

    assertThat(statuses).containsExactly(409, 409, 202);
  }

  @Test
  void a409WithAnErrorCode_isNotRetried() {
    client.provision(
        new ProvisionRequest(
            "same-name", "services: {}\n", null, List.of(), "tdx.small", 40, null));
    Cvm cvm = deployNamed("same-name-2");
    statuses.clear();

    assertThatThrownBy(
            () ->
                client.provision(
                    new ProvisionRequest(
                        cvm.name(), "services: {}\n", null, List.of(), "tdx.small", 40, null)))
        .isInstanceOfSatisfying(
            PhalaApiException.class, e -> assertThat(e.errorCode()).contains("ERR-01-004"));
    assertThat(statuses).containsExactly(409);
  }

  @Test
  void aLostAnswerToAChange_isNeverResent_andSaysItMayHaveBeenApplied() {
    Cvm cvm = deploy();
    fault(FaultRule.Kind.DROP_CONNECTION, ".*/envs", 0, 1, Duration.ZERO);
    statuses.clear();

    assertThatThrownBy(() -> client.updateEnvs(cvm.vmUuid(), sealed(cvm), List.of("A")))
        .isInstanceOfSatisfying(
            PhalaTransportException.class, e -> assertThat(e.mayHaveBeenApplied()).isTrue());
    assertThat(statuses).containsExactly(0);
  }

  @Test
  void aLostAnswerToARead_isRetried() {
    Cvm cvm = deploy();
    fault(FaultRule.Kind.DROP_CONNECTION, "/api/v1/cvms/[^/]+", 0, 1, Duration.ZERO);
    statuses.clear();

    assertThat(client.getCvm(cvm.vmUuid()).vmUuid()).isEqualTo(cvm.vmUuid());
    assertThat(statuses).endsWith(200);
  }

  @Test
  void afterTheLastAttempt_theLastErrorIsThrown() {
    PhalaCloudClient impatient =
        SIM.client(
            new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1)),
            (o, s, t) -> statuses.add(s),
            d -> {});
    fault(FaultRule.Kind.ERROR, "/api/v1/cvms/paginated", 503, 5, Duration.ZERO);

    assertThatThrownBy(() -> impatient.listCvms(1, 10))
        .isInstanceOfSatisfying(
            PhalaApiException.class, e -> assertThat(e.status()).isEqualTo(503));
    assertThat(statuses).containsExactly(503, 503);
  }

  private Cvm deploy() {
    return deployNamed("retry-app");
  }

  private Cvm deployNamed(String name) {
    EnvSet env = EnvSet.builder().put("A", "1").build();
    Provisioned p =
        client.provision(
            new ProvisionRequest(name, "services: {}\n", null, env.keys(), "tdx.small", 40, null));
    return client.commit(
        p.appId(),
        p.composeHash(),
        EnvSealer.seal(EnvPublicKey.fromHex(p.envPublicKey()), env),
        env.keys());
  }

  private static cloud.phala.operator.crypto.SealedEnv sealed(Cvm cvm) {
    return EnvSealer.seal(
        EnvPublicKey.fromHex(cvm.envPublicKey()), EnvSet.builder().put("A", "2").build());
  }
}
